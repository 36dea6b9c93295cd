"""`AssessmentView`: the engine's assessment of the open patient, for the side panel.

Shows, from one `Assessment` and nothing else: phase, responses, steroid dependence and
multi-refractory status; the rescue plan while one applies; findings sorted by severity, each
with why it fired, its sources (full reference on hover or click) and ``rule-id@version``, with
"Suppress…" (a reason is required) and a collapsed list of suppressed findings; checklists with
status and due dates, where a "Record…" button opens the entry dialog pre-filled for the
missing fact (a vaccine dose, a serology result); ranked options with rationale and cautions;
monitoring due; the disclaimer. M/U-marked content is labelled "needs review" and is never
shown as a hard rule. Nothing here is modal. May import: PySide6, core, services.display,
gui.widgets.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from itp_desktop.core.codes import (
    SEVERITY_ORDER,
    ChecklistStatus,
    ResponseCode,
    Severity,
    VaccineCode,
    VerificationMark,
    WorkupTest,
)
from itp_desktop.core.models.assessment import Assessment, Checklist, ChecklistItem, Finding, Option
from itp_desktop.core.models.knowledge import KnowledgePack
from itp_desktop.core.units import fmt_count
from itp_desktop.gui.widgets.sources import SourcesRow
from itp_desktop.services.display import Labels

SEVERITY_STYLE = {
    Severity.critical: ("#fdecea", "#b3261e"),
    Severity.warning: ("#fff4e0", "#8a5a00"),
    Severity.info: ("#e8f1fb", "#1f5f99"),
}
STATUS_COLOURS = {
    ChecklistStatus.done: "#1b6e3a",
    ChecklistStatus.due: "#8a5a00",
    ChecklistStatus.overdue: "#b3261e",
    ChecklistStatus.unknown: "#5b6770",
    ChecklistStatus.not_applicable: "#9e9e9e",
}
STATUS_MARKS = {
    ChecklistStatus.done: "✔",
    ChecklistStatus.due: "●",
    ChecklistStatus.overdue: "▲",
    ChecklistStatus.unknown: "?",
    ChecklistStatus.not_applicable: "–",
}
OPEN_STATUSES = frozenset({ChecklistStatus.due, ChecklistStatus.overdue, ChecklistStatus.unknown})
REVIEW_MARKS = frozenset({VerificationMark.M, VerificationMark.U})


def heading(text: str) -> QLabel:
    """A section heading."""
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; font-size: 11pt; margin-top: 8px;")
    label.setAccessibleName(text)
    return label


def wrapped(text: str, rich: bool = False) -> QLabel:
    """A word-wrapped, selectable label."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class FindingCard(QFrame):
    """One finding: severity, message, why, sources and rule, and suppress / show again.

    Signals:
        suppress_requested(object): suppress this `Finding` (with a reason).
        unsuppress_requested(object): show this suppressed `Finding` again.
    """

    suppress_requested = Signal(object)
    unsuppress_requested = Signal(object)

    def __init__(self, finding: Finding, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finding = finding
        background, accent = SEVERITY_STYLE[finding.severity]
        if finding.suppressed:
            background, accent = "#f5f5f5", "#757575"
        self.setObjectName("findingCard")
        self.setStyleSheet(
            f"QFrame#findingCard {{ background: {background}; border-left: 4px solid {accent};"
            " border-radius: 3px; }"
        )
        title = labels.severity(finding.severity)
        if finding.needs_review:
            title += " · needs review (M/U: never a hard rule)"
        self.title = QLabel(f"<b style='color:{accent}'>{escape(title)}</b>")
        self.message = wrapped(finding.message)
        self.message.setStyleSheet("font-weight: 600;" if not finding.suppressed else "")
        why = "".join(f"<li>{escape(w)}</li>" for w in finding.why)
        self.why = wrapped(f"Why:<ul style='margin:0'>{why}</ul>", rich=True)
        self.sources = SourcesRow(finding.sources, labels, finding.rule)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.why)
        layout.addWidget(self.sources)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        if finding.suppressed:
            layout.insertWidget(2, wrapped(f"Suppressed: {finding.suppression_reason or ''}"))
            self.action = QPushButton("Show again")
            self.action.clicked.connect(lambda: self.unsuppress_requested.emit(finding))
        else:
            self.action = QPushButton("Suppress…")
            self.action.clicked.connect(lambda: self.suppress_requested.emit(finding))
        self.action.setAccessibleName(f"{self.action.text()} {finding.message[:60]}")
        buttons.addWidget(self.action)
        layout.addLayout(buttons)


class AssessmentView(QScrollArea):
    """The assessment panel.

    Signals:
        suppress_requested(object): suppress a `Finding`.
        unsuppress_requested(object): show a suppressed `Finding` again.
        vaccine_requested(object): record a vaccine dose (`VaccineCode` or None).
        workup_requested(object): record a work-up result (`WorkupTest` or None).
        rescue_requested(): open bleeding-rescue mode.
    """

    suppress_requested = Signal(object)
    unsuppress_requested = Signal(object)
    vaccine_requested = Signal(object)
    workup_requested = Signal(object)
    rescue_requested = Signal()

    def __init__(self, pack: KnowledgePack | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pack = pack
        self._labels = Labels(pack)
        self.setWidgetResizable(True)
        # Text wraps to the panel's width instead of scrolling sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Assessment panel")
        self.assessment: Assessment | None = None
        self.finding_cards: list[FindingCard] = []
        self.record_buttons: list[QPushButton] = []
        self._show_empty_hint("Open a patient to see their assessment.")

    # ------------------------------------------------------------------ public API
    def show_assessment(self, assessment: Assessment | None, problem: str = "") -> None:
        """Rebuild the panel from an assessment (None with `problem` when it failed)."""
        self.assessment = assessment
        if assessment is None:
            self._show_empty_hint(problem or "No assessment.")
            return
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.setSpacing(6)
        self.finding_cards = []
        self.record_buttons = []
        self._add_summary(layout, assessment)
        if assessment.rescue is not None:
            self._add_rescue(layout, assessment)
        self._add_findings(layout, assessment)
        if assessment.dose_suggestions:
            layout.addWidget(heading("Dose suggestions"))
            for suggestion in assessment.dose_suggestions:
                layout.addWidget(wrapped(f"{suggestion.text}"))
                layout.addWidget(SourcesRow(suggestion.sources, self._labels, suggestion.rule))
        for checklist in assessment.checklists:
            if checklist.applicable:
                self._add_checklist(layout, checklist)
        self._add_options(layout, assessment.options)
        self._add_monitoring(layout, assessment)
        disclaimer = wrapped(assessment.disclaimer)
        disclaimer.setStyleSheet("color: #616161; font-style: italic; margin-top: 10px;")
        layout.addWidget(disclaimer)
        layout.addStretch(1)
        self.setWidget(content)

    # ------------------------------------------------------------------ sections
    def _show_empty_hint(self, text: str) -> None:
        label = wrapped(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(label)

    def _add_summary(self, layout: QVBoxLayout, assessment: Assessment) -> None:
        labels = self._labels
        latest = assessment.latest_platelet_count
        count = (
            f"{fmt_count(latest.value)} on {latest.date.isoformat()}" if latest else "none recorded"
        )
        rows = [
            ("Phase", labels.phase(assessment.phase)),
            ("Latest count", count),
            ("Steroid-dependent", "Yes" if assessment.steroid_dependent else "No"),
            ("Multi-refractory", "Yes" if assessment.multi_refractory else "No"),
        ]
        responses = [
            f"{labels.agent_short(c.agent)} {c.start_date.isoformat()}: "
            f"{labels.response(c.response)}"
            for c in assessment.courses
            if c.response is not ResponseCode.not_evaluable
        ]
        html = "".join(
            f"<tr><td style='color:#555'>{k}</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows
        )
        if responses:
            html += (
                "<tr><td style='color:#555'>Responses</td><td>"
                + "<br>".join(escape(r) for r in responses[-6:])
                + "</td></tr>"
            )
        layout.addWidget(heading(f"Assessment on {assessment.as_of.isoformat()}"))
        layout.addWidget(wrapped(f"<table cellspacing='3'>{html}</table>", rich=True))

    def _add_rescue(self, layout: QVBoxLayout, assessment: Assessment) -> None:
        rescue = assessment.rescue
        if rescue is None:
            return
        box = QFrame()
        box.setObjectName("rescueBox")
        box.setStyleSheet(
            "QFrame#rescueBox { background: #fdecea; border: 2px solid #b3261e;"
            " border-radius: 4px; }"
        )
        column = QVBoxLayout(box)
        ivig = f"{rescue.ivig_total_g:g} g" if rescue.ivig_total_g is not None else "weight needed"
        days = rescue.methylprednisolone_days
        mp_dose = rescue.methylprednisolone_mg_per_day
        mp = f"{mp_dose:g} mg/day × {days} days" if mp_dose is not None else "weight needed"
        transfusion = "indicated" if rescue.platelet_transfusion == "indicated" else "not routine"
        column.addWidget(
            wrapped(
                "<b style='color:#b3261e'>Severe bleeding: rescue therapy</b><br>"
                f"IVIG {rescue.ivig_g_per_kg:g} g/kg = <b>{escape(ivig)}</b> · "
                f"methylprednisolone <b>{escape(mp)}</b> · platelet transfusion: "
                f"<b>{transfusion}</b>",
                rich=True,
            )
        )
        button = QPushButton("Open bleeding rescue mode (F9)")
        button.clicked.connect(self.rescue_requested)
        column.addWidget(button)
        layout.addWidget(box)

    def _add_findings(self, layout: QVBoxLayout, assessment: Assessment) -> None:
        shown = sorted(
            (f for f in assessment.findings if not f.suppressed),
            key=lambda f: SEVERITY_ORDER[f.severity],
        )
        hidden = [f for f in assessment.findings if f.suppressed]
        layout.addWidget(heading(f"Findings ({len(shown)})"))
        if not shown:
            layout.addWidget(wrapped("No open findings."))
        for finding in shown:
            layout.addWidget(self._card(finding))
        if hidden:
            toggle = QToolButton()
            toggle.setText(f"Suppressed findings ({len(hidden)})")
            toggle.setCheckable(True)
            toggle.setArrowType(Qt.ArrowType.RightArrow)
            toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            holder = QWidget()
            holder_layout = QVBoxLayout(holder)
            holder_layout.setContentsMargins(0, 0, 0, 0)
            for finding in hidden:
                holder_layout.addWidget(self._card(finding))
            holder.setVisible(False)

            def toggled(checked: bool) -> None:
                holder.setVisible(checked)
                toggle.setArrowType(Qt.ArrowType.DownArrow if checked else Qt.ArrowType.RightArrow)

            toggle.toggled.connect(toggled)
            layout.addWidget(toggle)
            layout.addWidget(holder)

    def _card(self, finding: Finding) -> FindingCard:
        card = FindingCard(finding, self._labels)
        card.suppress_requested.connect(self.suppress_requested)
        card.unsuppress_requested.connect(self.unsuppress_requested)
        self.finding_cards.append(card)
        return card

    def _add_checklist(self, layout: QVBoxLayout, checklist: Checklist) -> None:
        title = checklist.title or self._labels.text(f"checklist.{checklist.code}", checklist.code)
        open_items = sum(1 for i in checklist.items if i.status in OPEN_STATUSES)
        layout.addWidget(heading(f"{title} — {open_items} open"))
        for item in checklist.items:
            if item.status is ChecklistStatus.not_applicable:
                continue
            layout.addWidget(self._checklist_row(checklist, item))
        if checklist.rule:
            note = QLabel(f"Rule {checklist.rule}")
            note.setStyleSheet("color: #78909c;")
            layout.addWidget(note)

    def _checklist_row(self, checklist: Checklist, item: ChecklistItem) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        colour = STATUS_COLOURS[item.status]
        due = f" — due by {item.due_by.isoformat()}" if item.due_by else ""
        status = self._labels.checklist_status(item.status)
        text = wrapped(
            f"<span style='color:{colour}'>{STATUS_MARKS[item.status]} <b>{escape(status)}"
            f"</b>{escape(due)}</span> {escape(item.label or item.code)}"
            + (f"<br><span style='color:#555'>{escape(item.detail)}</span>" if item.detail else ""),
            rich=True,
        )
        text.setToolTip("Sources: " + ", ".join(self._labels.citation(s) for s in item.sources))
        line.addWidget(text, 1)
        action = self._record_action(checklist, item)
        if action is not None and item.status in OPEN_STATUSES:
            label, signal_value, kind = action
            button = QPushButton(label)
            button.setAccessibleName(f"{label} {item.label}")
            if kind == "vaccine":
                button.clicked.connect(lambda: self.vaccine_requested.emit(signal_value))
            elif kind == "workup":
                button.clicked.connect(lambda: self.workup_requested.emit(signal_value))
            else:
                button.clicked.connect(self.rescue_requested)
            self.record_buttons.append(button)
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _record_action(
        self, checklist: Checklist, item: ChecklistItem
    ) -> tuple[str, object, str] | None:
        """What the app can record for an open item: (button text, preset, kind)."""
        pack = self._pack
        if checklist.code == "bleeding_rescue":
            return ("Rescue mode…", None, "rescue")
        if checklist.code == "splenectomy_immunizations" and pack is not None:
            for vaccine in pack.splenectomy_vaccines:
                if vaccine.code == item.code:
                    return ("Record vaccine…", VaccineCode(vaccine.accepts[0]), "vaccine")
        if checklist.code == "secondary_causes" and pack is not None:
            for cause in pack.secondary_causes:
                if cause.code == item.code:
                    return ("Record result…", WorkupTest(cause.tests[0]), "workup")
        if checklist.code == "pre_rituximab":
            if item.code == "hbv_serology":
                return ("Record result…", WorkupTest.hbsag, "workup")
            if item.code.startswith("vaccin"):
                return ("Record vaccine…", None, "vaccine")
        return None

    def _add_options(self, layout: QVBoxLayout, options: list[Option]) -> None:
        if not options:
            return
        layout.addWidget(heading("Next-line options (ranked)"))
        for option in sorted(options, key=lambda o: o.rank):
            frame = QFrame()
            frame.setObjectName("optionCard")
            frame.setStyleSheet(
                "QFrame#optionCard { border: 1px solid #cfd8dc; border-radius: 3px; }"
            )
            column = QVBoxLayout(frame)
            column.setContentsMargins(8, 4, 8, 4)
            column.setSpacing(2)
            label = self._labels.option(option.code, option.label)
            column.addWidget(wrapped(f"<b>{option.rank}. {escape(label)}</b>", rich=True))
            for explanation in option.explanations:
                prefix = "Why" if explanation.kind == "rationale" else "Caution"
                review = " (needs review)" if explanation.verification in REVIEW_MARKS else ""
                colour = "#333" if explanation.kind == "rationale" else "#8a5a00"
                column.addWidget(
                    wrapped(
                        f"<span style='color:{colour}'><b>{prefix}{review}:</b> "
                        f"{escape(explanation.text)}</span>",
                        rich=True,
                    )
                )
            column.addWidget(SourcesRow(option.sources, self._labels, option.rule))
            layout.addWidget(frame)

    def _add_monitoring(self, layout: QVBoxLayout, assessment: Assessment) -> None:
        if not assessment.monitoring:
            return
        layout.addWidget(heading("Monitoring"))
        for item in assessment.monitoring:
            colour = "#b3261e" if item.overdue else "#333"
            state = "overdue since" if item.overdue else "due"
            last = f" (last {item.last_done.isoformat()})" if item.last_done else " (never done)"
            label = wrapped(
                f"<span style='color:{colour}'><b>{state} {item.due.isoformat()}</b></span> "
                f"{escape(item.label or item.code)}{escape(last)}",
                rich=True,
            )
            label.setToolTip(f"{item.reason}\nRule {item.rule}")
            layout.addWidget(label)
