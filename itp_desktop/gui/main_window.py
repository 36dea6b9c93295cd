"""`MainWindow`: the shell — pages, the assessment dock, menus from `gui.actions`, status bar.

It composes the panels (registry, patient chart, worklist, bleeding rescue) and the assessment
dock, builds the menus from the action specs, routes each action to a panel or an operation in
one line, and restores its geometry through `gui.window_state`. It holds no clinical logic and
no data access of its own: panels talk to the services through `gui.operations` and to each
other through `AppEvents`. May import: PySide6, core, services API, settings, gui.*.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from itp_desktop.gui.actions import MENUS, ActionKey, build_actions
from itp_desktop.gui.dialogs.about_dialog import AboutDialog
from itp_desktop.gui.dialogs.help_dialog import HelpDialog
from itp_desktop.gui.errors import show_error
from itp_desktop.gui.events import AppEvents
from itp_desktop.gui.operations import patients as patient_ops
from itp_desktop.gui.operations import settings as settings_ops
from itp_desktop.gui.operations import store as store_ops
from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.tasks import TaskRunner
from itp_desktop.gui.views.assessment_view import AssessmentView
from itp_desktop.gui.views.patient_view import TAB_COUNTS, PatientView
from itp_desktop.gui.views.registry_view import RegistryView
from itp_desktop.gui.views.rescue_view import RescueView
from itp_desktop.gui.views.worklist_view import WorklistView
from itp_desktop.gui.window_state import WindowState
from itp_desktop.services.desktop_api import DesktopServices
from itp_desktop.settings import Settings

PAGE_REGISTRY = 0
PAGE_CHART = 1
PAGE_WORKLIST = 2
PAGE_RESCUE = 3
LARGE_FONT_FACTOR = 1.3


class MainWindow(QMainWindow):
    """The application window."""

    def __init__(
        self,
        services: DesktopServices,
        events: AppEvents | None = None,
        tasks: TaskRunner | None = None,
        state_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.events = events or AppEvents(self)
        self.tasks = tasks or TaskRunner(parent=self)
        self.tasks.set_error_handler(lambda exc: show_error(self, exc, self._log_file()))
        self.ctx = OperationContext(services, self.events, self.tasks, self)
        self._info = services.app_info()
        self.setWindowTitle("ITP Desktop")
        self.setObjectName("mainWindow")
        self.resize(1500, 920)
        self.assessment_view = AssessmentView(services.pack())
        self.registry = RegistryView(self.ctx)
        self.chart = PatientView(self.ctx, self.assessment_view)
        self.worklist = WorklistView(self.ctx)
        self.rescue = RescueView(self.ctx)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.registry, "Patient registry")
        self.pages.addTab(self.chart, "Patient chart")
        self.pages.addTab(self.worklist, "Worklist")
        self.pages.addTab(self.rescue, "Bleeding rescue")
        self.pages.setTabVisible(PAGE_RESCUE, False)
        self.setCentralWidget(self.pages)
        self.dock = QDockWidget("Assessment", self)
        self.dock.setObjectName("assessmentDock")
        self.dock.setWidget(self.assessment_view)
        self.dock.setMinimumWidth(470)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.action_map = build_actions(self)
        self._build_menus()
        self._build_status_bar()
        self._connect()
        self._base_point_size = QApplication.font().pointSizeF()
        self._apply_font(services.settings.current().large_font)
        self.state = WindowState(
            state_dir or Path(services.settings.folders().settings_path).parent
        )
        self.state.restore_window(self)
        self._on_page_changed(self.pages.currentIndex())
        self.state.restore_splitter(self.chart.timeline.splitter, "timeline")
        self.state.restore_splitter(self.registry.splitter, "registry")
        self._update_patient_actions()
        self.registry.search_edit.setFocus()

    # ------------------------------------------------------------------ public API
    def open_patient(self, patient_id: str) -> None:
        """Open a patient's chart (from the registry, the worklist or the recent list)."""
        if self.chart.open_patient(patient_id):
            self.pages.setCurrentIndex(PAGE_CHART)
            self._on_page_changed(PAGE_CHART)
            patient_ops.remember(self.ctx, patient_id)
        self._update_patient_actions()

    def current_patient_id(self) -> str | None:
        """The open patient, else the one selected in the registry."""
        if self.chart.patient_id:
            return self.chart.patient_id
        row = self.registry.selected()
        return row.id if row is not None else None

    def open_rescue(self) -> None:
        """Bleeding rescue mode for the current patient (F9)."""
        patient_id = self.current_patient_id()
        if patient_id is None:
            self.statusBar().showMessage("Select or open a patient first, then press F9.", 8000)
            return
        if self.chart.patient_id != patient_id:
            self.open_patient(patient_id)
        if self.rescue.open_for(patient_id):
            self.pages.setTabVisible(PAGE_RESCUE, True)
            self.pages.setCurrentIndex(PAGE_RESCUE)

    # ------------------------------------------------------------------ building
    def _build_menus(self) -> None:
        for title, keys in MENUS:
            menu = self.menuBar().addMenu(title)
            for key in keys:
                if key is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.action_map[key])

    def _build_status_bar(self) -> None:
        info = self._info
        self.pack_label = QLabel(f"Knowledge pack: {info.knowledge_pack}")
        self.store_label = QLabel(f"Store: {info.store_path}")
        self.version_label = QLabel(f"ITP Desktop {info.version}")
        for label in (self.pack_label, self.store_label, self.version_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.statusBar().addPermanentWidget(label)
        if info.knowledge_status != "approved":
            self.pack_label.setStyleSheet("color: #8a5a00;")
            self.pack_label.setToolTip(
                "This knowledge pack has not been approved by your department: every rule "
                "needs review by a haematologist before clinical use."
            )

    def _connect(self) -> None:
        slots: dict[ActionKey, Callable[[], object]] = {
            ActionKey.FIND_PATIENT: self._find_patient,
            ActionKey.NEW_PATIENT: lambda: patient_ops.new_patient(self.ctx),
            ActionKey.EDIT_PATIENT: self._edit_patient,
            ActionKey.ARCHIVE_PATIENT: self._archive_patient,
            ActionKey.SHOW_REGISTRY: lambda: self.pages.setCurrentIndex(PAGE_REGISTRY),
            ActionKey.SHOW_CHART: lambda: self.pages.setCurrentIndex(PAGE_CHART),
            ActionKey.SHOW_WORKLIST: lambda: self.pages.setCurrentIndex(PAGE_WORKLIST),
            ActionKey.SHOW_ASSESSMENT: self._toggle_assessment,
            ActionKey.RESCUE: self.open_rescue,
            ActionKey.ADD_COUNT: lambda: self._chart_tab(TAB_COUNTS),
            ActionKey.ADD_COURSE: lambda: self._on_chart(self.chart.add_course),
            ActionKey.CHANGE_DOSE: lambda: self._on_chart(self.chart.change_dose),
            ActionKey.STOP_COURSE: lambda: self._on_chart(self.chart.stop_course),
            ActionKey.ADD_BLEEDING: lambda: self._on_chart(
                lambda: self.chart.add_entry("bleeding")
            ),
            ActionKey.ADD_VACCINE: lambda: self._on_chart(lambda: self.chart.add_entry("vaccine")),
            ActionKey.ADD_WORKUP: lambda: self._on_chart(lambda: self.chart.add_entry("workup")),
            ActionKey.ADD_PROCEDURE: lambda: self._on_chart(
                lambda: self.chart.add_entry("procedure")
            ),
            ActionKey.ADD_MONITORING: lambda: self._on_chart(
                lambda: self.chart.add_entry("monitoring")
            ),
            ActionKey.REPORTS: self._open_reports,
            ActionKey.REFRESH: self._refresh,
            ActionKey.BACKUP: lambda: store_ops.backup(self.ctx),
            ActionKey.RESTORE: lambda: store_ops.restore(self.ctx),
            ActionKey.VERIFY: lambda: store_ops.verify(self.ctx),
            ActionKey.SETTINGS: lambda: settings_ops.edit_settings(self.ctx),
            ActionKey.LARGE_FONT: self._toggle_large_font,
            ActionKey.SHORTCUTS: lambda: HelpDialog(self).open(),
            ActionKey.ABOUT: lambda: AboutDialog(self._info, self).open(),
            ActionKey.QUIT: self.close,
        }
        for key, slot in slots.items():
            self.action_map[key].triggered.connect(lambda _checked=False, s=slot: s())
        self.action_map[ActionKey.SHOW_ASSESSMENT].setChecked(True)
        self.action_map[ActionKey.LARGE_FONT].setChecked(
            self.services.settings.current().large_font
        )
        self.action_map[ActionKey.REPORTS].setVisible(self.services.reports is not None)
        self.dock.visibilityChanged.connect(self.action_map[ActionKey.SHOW_ASSESSMENT].setChecked)
        self.events.patient_opened.connect(self.open_patient)
        self.events.patient_selected.connect(lambda _pid: self._update_patient_actions())
        self.events.status_message.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.events.settings_changed.connect(self._on_settings_changed)
        self.chart.closed.connect(self._update_patient_actions)
        self.rescue.back_requested.connect(self._leave_rescue)
        self.worklist.worklist_ready.connect(lambda _w: self.pages.setCurrentIndex(PAGE_WORKLIST))
        self.pages.currentChanged.connect(self._on_page_changed)

    # ------------------------------------------------------------------ helpers
    def _log_file(self) -> Path | None:
        return Path(self._info.log_dir) / "itp-desktop.log"

    def _update_patient_actions(self) -> None:
        has_patient = self.current_patient_id() is not None
        for key in ActionKey:
            spec_needs = key in {
                ActionKey.EDIT_PATIENT,
                ActionKey.ARCHIVE_PATIENT,
                ActionKey.RESCUE,
                ActionKey.REPORTS,
            }
            if spec_needs:
                self.action_map[key].setEnabled(has_patient)
        self.pages.setTabEnabled(PAGE_CHART, self.chart.patient_id is not None)

    def _on_chart(self, call: Callable[[], None]) -> None:
        if self.chart.patient_id is None:
            patient_id = self.current_patient_id()
            if patient_id is None:
                self.statusBar().showMessage("Open a patient first (Ctrl+1, then Enter).", 8000)
                return
            self.open_patient(patient_id)
        self.pages.setCurrentIndex(PAGE_CHART)
        call()

    def _chart_tab(self, tab: int) -> None:
        self._on_chart(lambda: self.chart.show_tab(tab))

    def _find_patient(self) -> None:
        self.pages.setCurrentIndex(PAGE_REGISTRY)
        self.registry.focus_search()

    def _edit_patient(self) -> None:
        patient_id = self.current_patient_id()
        if patient_id is None:
            return
        patient = self.chart.patient if self.chart.patient_id == patient_id else None
        patient = patient or self.services.patients.get(patient_id)
        patient_ops.edit_patient(self.ctx, patient)

    def _archive_patient(self) -> None:
        patient_id = self.current_patient_id()
        if patient_id is not None:
            name = self.services.patients.get(patient_id).display_name
            patient_ops.archive_patient(self.ctx, patient_id, name)

    def _open_reports(self) -> None:
        from itp_desktop.gui.views.report_view import ReportWindow

        patient_id = self.current_patient_id()
        reports = self.services.reports
        if patient_id is None or reports is None:
            return
        name = self.services.patients.get(patient_id).display_name
        window = ReportWindow(self.ctx, reports, patient_id, name, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        window.render_preview()

    def _refresh(self) -> None:
        self.registry.model.forget_all()
        self.registry.refresh()
        self.chart.reload()

    def _toggle_assessment(self) -> None:
        visible = self.action_map[ActionKey.SHOW_ASSESSMENT].isChecked()
        self.dock.setVisible(visible)
        if visible:
            self.assessment_view.setFocus()

    def _toggle_large_font(self) -> None:
        settings_ops.set_large_font(self.ctx, self.action_map[ActionKey.LARGE_FONT].isChecked())

    def _apply_font(self, large: bool) -> None:
        font = QApplication.font()
        if self._base_point_size > 0:
            factor = LARGE_FONT_FACTOR if large else 1.0
            font.setPointSizeF(self._base_point_size * factor)
            QApplication.setFont(font)

    def _on_settings_changed(self, settings: Settings) -> None:
        self._apply_font(settings.large_font)
        self.action_map[ActionKey.LARGE_FONT].setChecked(settings.large_font)

    def _on_page_changed(self, page: int) -> None:
        # The assessment belongs to the open patient: beside the chart, not over the registry;
        # rescue mode is one full screen, so nothing competes with the doses and checklist.
        self.dock.setVisible(page == PAGE_CHART and self.chart.patient_id is not None)

    def _leave_rescue(self) -> None:
        self.pages.setCurrentIndex(PAGE_CHART if self.chart.patient_id else PAGE_REGISTRY)
        self.pages.setTabVisible(PAGE_RESCUE, False)

    # ------------------------------------------------------------------ Qt overrides
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.chart.counts.has_unsaved():
            answer = QMessageBox.question(
                self,
                "Unsaved platelet count",
                "A platelet count is typed in the count entry but not saved.\n\n"
                "Close anyway and discard it?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.chart.show_tab(TAB_COUNTS)
                event.ignore()
                return
        self.state.save_window(self)
        self.state.save_splitter(self.chart.timeline.splitter, "timeline")
        self.state.save_splitter(self.registry.splitter, "registry")
        self.state.sync()
        self.tasks.shutdown()
        super().closeEvent(event)
