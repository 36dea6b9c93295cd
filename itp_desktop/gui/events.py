"""`AppEvents`: every application-wide signal, declared together with its payload.

Views subscribe here instead of reaching into the main window or into each other; operations
emit `data_changed` with the `ChangeSet` a service returned, and each view decides what to
refresh from it. The core emits nothing (it returns change sets). May import: PySide6, core.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    """Application-wide signals.

    Signals:
        data_changed(ChangeSet): a service changed stored data; payload says what.
        patient_selected(str): a patient id was selected in a list (single click).
        patient_opened(str): a patient id was opened in the chart (double click, Enter).
        rescue_requested(str): bleeding-rescue mode was asked for this patient id.
        settings_changed(Settings): the user saved settings; payload is the new model.
        store_replaced(): the store was restored from a backup; everything is stale.
        status_message(str): a non-modal message for the status bar.
    """

    data_changed = Signal(object)  # ChangeSet
    patient_selected = Signal(str)  # patient id
    patient_opened = Signal(str)  # patient id
    rescue_requested = Signal(str)  # patient id
    settings_changed = Signal(object)  # Settings
    store_replaced = Signal()
    status_message = Signal(str)
