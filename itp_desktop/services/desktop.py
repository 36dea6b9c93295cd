"""`DesktopServicesImpl`: the services the desktop window uses, built from the `Services` container.

`build_desktop_services(services)` adds to the container what only the window needs: entry-level
record changes, registry summaries, bleeding rescue, the worklist, settings saving and report
previews, and wraps the store service so that results are plain models the GUI may import
(`itp_desktop.services.desktop_api`). The report service is built on first use, so reportlab is
never imported at start-up. May import: core, engine, storage (protocol), reports, settings,
paths, services, stdlib.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from itp_desktop.core.errors import ReportError
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.models.records import BackupInfo, VerifyReport
from itp_desktop.services.api import AppInfo
from itp_desktop.services.assessment import AssessmentService
from itp_desktop.services.container import Services
from itp_desktop.services.desktop_api import (
    PaperName,
    ReportKindName,
    ReportPreview,
    RestoreSummary,
)
from itp_desktop.services.overview import OverviewService
from itp_desktop.services.patients import PatientService
from itp_desktop.services.records import RecordService
from itp_desktop.services.rescue import RescueService
from itp_desktop.services.settings_service import SettingsService
from itp_desktop.services.worklist import WorklistService

if TYPE_CHECKING:
    from itp_desktop.services.reports import RenderedReport, ReportService

PREVIEWS_KEPT = 8


class StoreAccessImpl:
    """Backup, restore and verify with results the GUI may import.

    Args:
        services: the container.
    """

    def __init__(self, services: Services) -> None:
        self._services = services

    def backup(self) -> BackupInfo:
        """Write a backup now (see `StoreService.backup`)."""
        return self._services.store.backup()

    def list_backups(self) -> list[BackupInfo]:
        """Backups on disk, newest first."""
        return self._services.store.list_backups()

    def verify(self) -> VerifyReport:
        """Check the store, its backups and the audit chain."""
        return self._services.store.verify()

    def restore(self, backup_file: Path) -> RestoreSummary:
        """Replace the store with a verified backup (see `StoreService.restore`)."""
        result = self._services.store.restore(backup_file)
        replaced = result.replaced_backup.path if result.replaced_backup is not None else None
        return RestoreSummary(restored_from=str(result.restored_from), replaced_backup=replaced)


class ReportAccessImpl:
    """Report writing and previews over `ReportService`, built on first use.

    Args:
        services: the container (patients, assessments, pack, clock, audit log).
        settings: gives the site name and phone printed in the header.
    """

    def __init__(self, services: Services, settings: SettingsService) -> None:
        self._services = services
        self._settings = settings
        self._service: ReportService | None = None
        self._site_key: tuple[str, str, str] | None = None
        self._previews: dict[str, RenderedReport] = {}
        self._tokens = itertools.count(1)

    def write(
        self, patient_id: str, kind: ReportKindName, paper: PaperName, out_path: Path
    ) -> Path:
        """Render a report to `out_path` atomically and audit it."""
        return self._report_service().write(patient_id, kind, paper, out_path)

    def preview(self, patient_id: str, kind: ReportKindName, paper: PaperName) -> ReportPreview:
        """Render a report in memory; kept briefly so that printing it can be audited."""
        rendered = self._report_service().render(patient_id, kind, paper)
        token = f"preview-{next(self._tokens)}"
        self._previews[token] = rendered
        while len(self._previews) > PREVIEWS_KEPT:
            self._previews.pop(next(iter(self._previews)))
        return ReportPreview(
            token=token, patient_id=patient_id, kind=kind, paper=paper, pdf=rendered.pdf
        )

    def record_print(self, token: str, printer: str) -> None:
        """Audit that the preview `token` was sent to `printer`.

        Raises:
            ReportError: the preview is no longer kept (render it again).
        """
        rendered = self._previews.get(token)
        if rendered is None:
            raise ReportError("This preview is no longer available; open the preview again.")
        self._report_service().record_print(rendered, printer)

    def _report_service(self) -> ReportService:
        settings = self._settings.current()
        key = (settings.site_name, settings.department, settings.clinic_phone)
        # Rebuilt only when the printed site details change in the settings dialog.
        if self._service is None or key != self._site_key:
            self._service = self._services.reports(settings)
            self._site_key = key
        return self._service


@dataclass(frozen=True)
class DesktopServicesImpl:
    """Everything the desktop window uses (satisfies `DesktopServices`).

    Attributes:
        base: the services container.
        records: entry-level changes.
        overview: registry summaries.
        rescue: bleeding rescue.
        worklist: the cross-patient worklist.
        store: backup, restore, verify.
        settings: user settings.
        reports: printed reports, or None without the report service.
    """

    base: Services
    records: RecordService
    overview: OverviewService
    rescue: RescueService
    worklist: WorklistService
    store: StoreAccessImpl
    settings: SettingsService
    reports: ReportAccessImpl | None = field(default=None)

    @property
    def patients(self) -> PatientService:
        """The patient registry."""
        return self.base.patients

    @property
    def assessment(self) -> AssessmentService:
        """Assessments and suppressions."""
        return self.base.assessment

    def app_info(self) -> AppInfo:
        """Version, store path and knowledge pack in use."""
        return self.base.app_info()

    def pack(self) -> KnowledgePack:
        """The knowledge pack in use."""
        return self.base.knowledge.pack()

    def today(self) -> dt.date:
        """Today from the injected clock."""
        return self.base.clock.today()

    def now(self) -> dt.datetime:
        """Now (UTC) from the injected clock."""
        return self.base.clock.now()

    def close(self) -> None:
        """Close the store."""
        self.base.close()


def build_desktop_services(services: Services, *, with_reports: bool = True) -> DesktopServicesImpl:
    """Add the desktop window's services to the container.

    Args:
        services: the container built by `build_services`.
        with_reports: wire the report service (tests of other screens may leave it out).
    """
    handle = services.store_handle
    records = RecordService(services.patients)
    settings = SettingsService(
        services.paths,
        services.settings,
        backup_dir=services.settings.backup_dir or str(services.paths.backup_dir),
    )
    return DesktopServicesImpl(
        base=services,
        records=records,
        overview=OverviewService(handle, services.knowledge, services.clock),
        rescue=RescueService(handle, services.knowledge, records, services.clock),
        worklist=WorklistService(handle, services.knowledge, services.clock),
        store=StoreAccessImpl(services),
        settings=settings,
        reports=ReportAccessImpl(services, settings) if with_reports else None,
    )
