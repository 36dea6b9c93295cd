"""Every menu action of the window: an `ActionKey` enum, one spec per key, and the menu layout.

`build_actions(parent)` creates the `QAction`s from `ACTION_SPECS` (text, shortcuts, status tip,
checkable); the main window connects them and builds menus from `MENUS`. The help dialog lists
shortcuts from the same specs, so the list a clinician reads can never drift from the keys that
work. May import: PySide6, stdlib.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence


class ActionKey(Enum):
    """Keys of the window's actions."""

    FIND_PATIENT = auto()
    NEW_PATIENT = auto()
    EDIT_PATIENT = auto()
    ARCHIVE_PATIENT = auto()
    SHOW_REGISTRY = auto()
    SHOW_CHART = auto()
    SHOW_WORKLIST = auto()
    SHOW_ASSESSMENT = auto()
    RESCUE = auto()
    ADD_COUNT = auto()
    ADD_COURSE = auto()
    CHANGE_DOSE = auto()
    STOP_COURSE = auto()
    ADD_BLEEDING = auto()
    ADD_VACCINE = auto()
    ADD_WORKUP = auto()
    ADD_PROCEDURE = auto()
    ADD_MONITORING = auto()
    REPORTS = auto()
    REFRESH = auto()
    BACKUP = auto()
    RESTORE = auto()
    VERIFY = auto()
    SETTINGS = auto()
    LARGE_FONT = auto()
    SHORTCUTS = auto()
    ABOUT = auto()
    QUIT = auto()


@dataclass(frozen=True)
class ActionSpec:
    """How one action looks: menu text (with mnemonic), shortcuts, status-bar tip."""

    text: str
    shortcuts: tuple[str, ...] = ()
    tip: str = ""
    checkable: bool = False
    needs_patient: bool = False


ACTION_SPECS: dict[ActionKey, ActionSpec] = {
    ActionKey.FIND_PATIENT: ActionSpec(
        "&Find patient…", ("Ctrl+F",), "Search the registry by name, MRN or birth date"
    ),
    ActionKey.NEW_PATIENT: ActionSpec("&New patient…", ("Ctrl+N",), "Register a new patient"),
    ActionKey.EDIT_PATIENT: ActionSpec(
        "&Edit patient…", ("Ctrl+E",), "Edit demographics and diagnosis", needs_patient=True
    ),
    ActionKey.ARCHIVE_PATIENT: ActionSpec(
        "&Archive patient…",
        ("Ctrl+Shift+A",),
        "Hide the patient from the registry (records are never deleted)",
        needs_patient=True,
    ),
    ActionKey.SHOW_REGISTRY: ActionSpec("Patient &registry", ("Ctrl+1",), "Show the registry"),
    ActionKey.SHOW_CHART: ActionSpec(
        "Patient &chart", ("Ctrl+2",), "Show the open patient's chart", needs_patient=True
    ),
    ActionKey.SHOW_WORKLIST: ActionSpec(
        "&Worklist", ("Ctrl+3",), "What is due or overdue across all patients"
    ),
    ActionKey.SHOW_ASSESSMENT: ActionSpec(
        "&Assessment panel", ("Ctrl+4",), "Show and focus the assessment panel", checkable=True
    ),
    ActionKey.RESCUE: ActionSpec(
        "&Bleeding rescue mode",
        ("F9", "Ctrl+Shift+R"),
        "Rescue doses, transfusion rule and checklist for severe bleeding",
        needs_patient=True,
    ),
    ActionKey.ADD_COUNT: ActionSpec(
        "Enter platelet &counts", ("Ctrl+L",), "Fast entry of counts", needs_patient=True
    ),
    ActionKey.ADD_COURSE: ActionSpec(
        "Start therapy &course…", ("Ctrl+T",), "Add a therapy course", needs_patient=True
    ),
    ActionKey.CHANGE_DOSE: ActionSpec(
        "Record &dose change…",
        ("Ctrl+D",),
        "Titrate the selected course",
        needs_patient=True,
    ),
    ActionKey.STOP_COURSE: ActionSpec(
        "&Stop course…", ("Ctrl+Shift+T",), "Stop the selected course", needs_patient=True
    ),
    ActionKey.ADD_BLEEDING: ActionSpec(
        "&Bleeding assessment…", ("Ctrl+B",), "WHO grade and ITP-BAT", needs_patient=True
    ),
    ActionKey.ADD_VACCINE: ActionSpec(
        "&Vaccine dose…", ("Ctrl+I",), "Record an immunization", needs_patient=True
    ),
    ActionKey.ADD_WORKUP: ActionSpec(
        "&Work-up result…", ("Ctrl+U",), "Record a serology or work-up result", needs_patient=True
    ),
    ActionKey.ADD_PROCEDURE: ActionSpec(
        "&Procedure…", ("Ctrl+Shift+O",), "Record a done or planned procedure", needs_patient=True
    ),
    ActionKey.ADD_MONITORING: ActionSpec(
        "&Monitoring result…",
        ("Ctrl+M",),
        "Record liver tests, blood pressure and other monitoring",
        needs_patient=True,
    ),
    ActionKey.REPORTS: ActionSpec(
        "&Reports (preview, save, print)…",
        ("Ctrl+P",),
        "Printed care plans for the open patient",
        needs_patient=True,
    ),
    ActionKey.REFRESH: ActionSpec("&Refresh", ("F5",), "Read the store again"),
    ActionKey.BACKUP: ActionSpec("&Back up now", ("Ctrl+Shift+B",), "Write a backup of the store"),
    ActionKey.RESTORE: ActionSpec("Re&store from backup…", (), "Replace the store with a backup"),
    ActionKey.VERIFY: ActionSpec(
        "&Verify store", (), "Check the store, the backups and the audit trail"
    ),
    ActionKey.SETTINGS: ActionSpec("Se&ttings…", ("Ctrl+,",), "Units, site, backups"),
    ActionKey.LARGE_FONT: ActionSpec(
        "&Large font", ("Ctrl+Shift+F",), "Larger text everywhere", checkable=True
    ),
    ActionKey.SHORTCUTS: ActionSpec("&Keyboard shortcuts", ("F1",), "Every shortcut"),
    ActionKey.ABOUT: ActionSpec("&About ITP Desktop", (), "Version, knowledge pack, disclaimer"),
    ActionKey.QUIT: ActionSpec("&Quit", ("Ctrl+Q",), "Close ITP Desktop"),
}

MENUS: tuple[tuple[str, tuple[ActionKey | None, ...]], ...] = (
    (
        "&File",
        (
            ActionKey.REPORTS,
            None,
            ActionKey.BACKUP,
            ActionKey.RESTORE,
            ActionKey.VERIFY,
            None,
            ActionKey.SETTINGS,
            None,
            ActionKey.QUIT,
        ),
    ),
    (
        "&Patient",
        (
            ActionKey.FIND_PATIENT,
            ActionKey.NEW_PATIENT,
            ActionKey.EDIT_PATIENT,
            ActionKey.ARCHIVE_PATIENT,
            None,
            ActionKey.RESCUE,
        ),
    ),
    (
        "&Record",
        (
            ActionKey.ADD_COUNT,
            ActionKey.ADD_COURSE,
            ActionKey.CHANGE_DOSE,
            ActionKey.STOP_COURSE,
            None,
            ActionKey.ADD_BLEEDING,
            ActionKey.ADD_VACCINE,
            ActionKey.ADD_WORKUP,
            ActionKey.ADD_PROCEDURE,
            ActionKey.ADD_MONITORING,
        ),
    ),
    (
        "&View",
        (
            ActionKey.SHOW_REGISTRY,
            ActionKey.SHOW_CHART,
            ActionKey.SHOW_WORKLIST,
            ActionKey.SHOW_ASSESSMENT,
            None,
            ActionKey.REFRESH,
            ActionKey.LARGE_FONT,
        ),
    ),
    ("&Help", (ActionKey.SHORTCUTS, ActionKey.ABOUT)),
)


def plain_text(spec: ActionSpec) -> str:
    """The menu text without mnemonic and ellipsis, e.g. ``Start therapy course``."""
    return spec.text.replace("&", "").removesuffix("…")


def build_actions(parent: QObject) -> dict[ActionKey, QAction]:
    """Create every action (not yet connected)."""
    actions: dict[ActionKey, QAction] = {}
    for key, spec in ACTION_SPECS.items():
        action = QAction(spec.text, parent)
        action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        # Window-wide: a shortcut works whichever panel has focus (keyboard-complete).
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = spec.tip
        if spec.shortcuts:
            tip = f"{tip} ({', '.join(spec.shortcuts)})"
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.setCheckable(spec.checkable)
        action.setObjectName(f"action_{key.name.lower()}")
        actions[key] = action
    return actions
