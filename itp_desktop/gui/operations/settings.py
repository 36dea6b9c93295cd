"""Settings operations: edit the typed settings, toggle large-font mode.

May import: PySide6, core, settings, services API, gui.dialogs, gui.operations.
"""

from __future__ import annotations

from itp_desktop.core.changes import ChangeSet
from itp_desktop.gui.dialogs.settings_dialog import SettingsDialog
from itp_desktop.gui.operations.context import OperationContext, edit_with_dialog, mutate
from itp_desktop.settings import Settings


def edit_settings(ctx: OperationContext) -> SettingsDialog:
    """Open the settings dialog and save what the user confirms."""
    settings = ctx.services.settings
    dialog = SettingsDialog(settings.current(), settings.folders(), ctx.parent)

    def saved(_changes: ChangeSet) -> None:
        ctx.events.settings_changed.emit(settings.current())

    edit_with_dialog(
        ctx, dialog, lambda model: settings.save(model), success="Settings saved.", on_done=saved
    )
    return dialog


def set_large_font(ctx: OperationContext, large: bool) -> None:
    """Switch large-font mode and remember it."""
    settings = ctx.services.settings

    def call() -> ChangeSet:
        return settings.save(settings.current().model_copy(update={"large_font": large}))

    mutate(
        ctx,
        call,
        success="Large font on." if large else "Large font off.",
        on_done=lambda _c: ctx.events.settings_changed.emit(settings.current()),
    )


def current(ctx: OperationContext) -> Settings:
    """The settings in force."""
    return ctx.services.settings.current()
