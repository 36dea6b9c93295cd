"""`ReportWindow`: preview, save and print a patient's printed care plans.

Choose the document (clinician summary, patient care plan, wallet card, vaccination record)
and the paper; the preview renders in the background through `ReportAccess.preview`; "Save as
PDF…" writes through `ReportAccess.write` (atomic, audited) and "Print…" prints the previewed
pages and audits the print. Not modal: the chart stays usable beside it.
May import: PySide6, core, services API, gui.operations, gui.tasks, gui.widgets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.gui.operations.context import OperationContext
from itp_desktop.gui.tasks import TaskToken
from itp_desktop.gui.widgets.layouts import clear_layout
from itp_desktop.gui.widgets.pdf_pages import page_images, print_pdf
from itp_desktop.services.desktop_api import ReportAccess, ReportPreview

KIND_LABELS = {
    "clinician": "Clinician summary",
    "patient": "Patient care plan",
    "card": "Wallet emergency card",
    "vaccines": "Vaccination record",
}
PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}


class ReportWindow(QDialog):
    """Reports of one patient."""

    def __init__(
        self,
        ctx: OperationContext,
        reports: ReportAccess,
        patient_id: str,
        patient_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._reports = reports
        self._patient_id = patient_id
        self._name = patient_name
        self.preview: ReportPreview | None = None
        self.setWindowTitle(f"Reports — {patient_name}")
        self.setModal(False)
        self.kind_combo = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.setAccessibleName("Document")
        self.paper_combo = QComboBox()
        for paper, label in PAPER_LABELS.items():
            self.paper_combo.addItem(label, paper)
        self.paper_combo.setAccessibleName("Paper size")
        default_paper = ctx.services.settings.current().paper_size
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(default_paper))
        self.preview_button = QPushButton("&Preview")
        self.save_button = QPushButton("&Save as PDF…")
        self.print_button = QPushButton("P&rint…")
        # Printing sends the previewed pages, so it waits for a preview.
        self.print_button.setEnabled(False)
        self.status = QLabel()
        self.pages = QVBoxLayout()
        holder = QWidget()
        holder.setLayout(self.pages)
        holder.setStyleSheet("background: #9e9e9e;")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setAccessibleName("Report preview")
        row = QHBoxLayout()
        row.addWidget(QLabel("&Document:"))
        row.itemAt(0).widget().setBuddy(self.kind_combo)  # type: ignore[union-attr]
        row.addWidget(self.kind_combo)
        row.addWidget(self.paper_combo)
        row.addWidget(self.preview_button)
        row.addWidget(self.save_button)
        row.addWidget(self.print_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        self.resize(900, 1000)
        self.preview_button.clicked.connect(self.render_preview)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.kind_combo.currentIndexChanged.connect(self.render_preview)
        self.paper_combo.currentIndexChanged.connect(self.render_preview)

    def render_preview(self) -> None:
        kind = self.kind_combo.currentData()
        paper = self.paper_combo.currentData()
        self.status.setText("Rendering…")
        self.print_button.setEnabled(False)
        reports, patient_id = self._reports, self._patient_id

        def work(_token: TaskToken) -> ReportPreview:
            return reports.preview(patient_id, kind, paper)

        self._ctx.tasks.run(work, on_done=self._show_preview)

    def _show_preview(self, preview: ReportPreview) -> None:
        self.preview = preview
        clear_layout(self.pages)
        images = page_images(preview.pdf)
        for image in images:
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages.addWidget(page)
        self.status.setText(f"{KIND_LABELS[preview.kind]}: {len(images)} page(s).")
        self.print_button.setEnabled(bool(images))

    def _on_save_button_clicked(self) -> None:
        kind = self.kind_combo.currentData()
        paper = self.paper_combo.currentData()
        folder = Path(self._ctx.services.settings.folders().reports_dir)
        suggested = folder / f"{self._name.replace(',', '').replace(' ', '_')}-{kind}.pdf"
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save report as PDF", str(suggested), "PDF (*.pdf)"
        )
        if not name:
            return
        reports, patient_id = self._reports, self._patient_id

        def work(_token: TaskToken) -> Path:
            return reports.write(patient_id, kind, paper, Path(name))

        self._ctx.tasks.run(
            work, on_done=lambda path: self._ctx.events.status_message.emit(f"Saved {path}")
        )

    def _on_print_button_clicked(self) -> None:
        preview = self.preview
        if preview is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pages = print_pdf(preview.pdf, printer)
        reports, token = self._reports, preview.token

        def work(_token: TaskToken) -> None:
            reports.record_print(token, printer.printerName())

        self._ctx.tasks.run(
            work,
            on_done=lambda _r: self._ctx.events.status_message.emit(f"Printed {pages} page(s)."),
        )
