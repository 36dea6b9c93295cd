"""What the GUI may ask of the services: protocols and plain result models.

The GUI imports this module only, never the concrete services: they import the store, the
engine and the knowledge loader, and import-linter forbids the GUI even an indirect import of
those. `itp_desktop.services.container.Services` satisfies `GuiServices` structurally; tests pass
fakes. May import: core, pydantic, stdlib.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from itp_desktop.core.models.patient import Patient, PatientSummary


class AppInfo(BaseModel):
    """Facts about the running installation, for the status bar and the About box.

    Attributes:
        version: ITP Desktop version.
        store_path: the patient store file.
        log_dir: folder of the log files.
        knowledge_pack: pack in use, e.g. ``itp-facts 0.1.0 (draft) + site-x 1.2.0``.
        knowledge_status: status of the base pack (``draft``, ``approved``, ``retired``).
        disclaimer: the clinical-judgement disclaimer of the pack in use.
    """

    model_config = ConfigDict(frozen=True)

    version: str
    store_path: str
    log_dir: str
    knowledge_pack: str
    knowledge_status: str
    disclaimer: str


class PatientQueries(Protocol):
    """Read access to the patient registry."""

    def search(
        self,
        query: str = "",
        *,
        limit: int = 100,
        offset: int = 0,
        include_archived: bool = False,
    ) -> list[PatientSummary]:
        """Patients matching a name fragment, MRN or birth date, in registry order."""
        ...

    def count(self, query: str = "", *, include_archived: bool = False) -> int:
        """How many patients `search` would return without a limit."""
        ...

    def get(self, patient_id: str) -> Patient:
        """One patient's full record. Raises NotFound."""
        ...


class GuiServices(Protocol):
    """The services the main window uses."""

    @property
    def patients(self) -> PatientQueries:
        """The patient registry."""
        ...

    def app_info(self) -> AppInfo:
        """Version, store path and knowledge pack in use."""
        ...

    def today(self) -> dt.date:
        """Today's date from the injected clock (ages in summaries)."""
        ...
