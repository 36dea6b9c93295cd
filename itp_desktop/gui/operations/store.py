"""Store operations: back up now, verify, restore from a backup — all as background tasks.

Restore asks for the file and a confirmation, closes nothing itself (the service closes and
reopens the store) and announces `store_replaced`, after which every view reloads.
May import: PySide6, core, services API, gui.operations, gui.tasks.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from itp_desktop.core.models.records import BackupInfo, VerifyReport
from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.tasks import TaskHandle, TaskToken
from itp_desktop.services.desktop_api import RestoreSummary


def backup(ctx: OperationContext) -> TaskHandle:
    """Write a backup now."""

    def work(_token: TaskToken) -> BackupInfo:
        return ctx.services.store.backup()

    def done(info: BackupInfo) -> None:
        size = info.size_bytes / 1_048_576
        ctx.events.status_message.emit(f"Backup written: {info.path} ({size:.1f} MiB)")

    ctx.events.status_message.emit("Writing a backup…")
    return ctx.tasks.run(work, on_done=done)


def verify_text(report: VerifyReport) -> str:
    """The verification result as lines a person reads."""
    lines = [
        ("✔ " if check.ok else "✘ ") + check.name + (f": {check.detail}" if check.detail else "")
        for check in report.checks
    ]
    if report.first_broken_audit_seq is not None:
        lines.append(f"The audit trail is broken from entry {report.first_broken_audit_seq} on.")
    return "\n".join(lines)


def verify(ctx: OperationContext) -> TaskHandle:
    """Check the store, its backups and the audit chain; show the result."""

    def work(_token: TaskToken) -> VerifyReport:
        return ctx.services.store.verify()

    def done(report: VerifyReport) -> None:
        box = QMessageBox(ctx.parent)
        box.setWindowTitle("Verify store")
        if report.ok:
            box.setIcon(QMessageBox.Icon.Information)
            box.setText("The store, its backups and the audit trail passed every check.")
        else:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(
                "Some checks failed. Restore the newest good backup, or ask IT support; "
                "nothing was changed."
            )
        box.setDetailedText(verify_text(report))
        box.open()
        ctx.events.status_message.emit("Store verified." if report.ok else "Store check failed.")

    ctx.events.status_message.emit("Verifying the store…")
    return ctx.tasks.run(work, on_done=done)


def choose_backup(ctx: OperationContext) -> Path | None:
    """Ask for a backup file, starting in the backup folder."""
    folder = ctx.services.settings.folders().backup_dir
    name, _filter = QFileDialog.getOpenFileName(
        ctx.parent, "Restore from backup", folder, "Store backups (*.sqlite3 *.db);;All files (*)"
    )
    return Path(name) if name else None


def restore(ctx: OperationContext, backup_file: Path | None = None) -> TaskHandle | None:
    """Replace the store with a verified backup after confirmation."""
    chosen = backup_file or choose_backup(ctx)
    if chosen is None:
        return None
    answer = QMessageBox.question(
        ctx.parent,
        "Restore from backup",
        f"Replace the patient store with\n{chosen}?\n\nThe backup is verified first; the "
        "current store is kept as a backup, so this can be undone.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None

    def work(_token: TaskToken) -> RestoreSummary:
        return ctx.services.store.restore(chosen)

    def done(summary: RestoreSummary) -> None:
        kept = (
            f" The previous store was kept as {summary.replaced_backup}."
            if (summary.replaced_backup)
            else ""
        )
        ctx.events.store_replaced.emit()
        ctx.events.status_message.emit(f"Store restored from {summary.restored_from}.{kept}")

    return ctx.tasks.run(work, on_done=done)
