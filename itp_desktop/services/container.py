"""`Services`: the container of every application service, built once by the composition root.

`build_services(paths, settings, clock)` wires the services to one lazily opened store
(`StoreHandle`), the knowledge pack in use and the clock. The GUI sees the container through
`itp_desktop.services.api.GuiServices` only. SQLAlchemy and the store module are imported when
the store is first opened, so commands that do not touch patient data start fast.
May import: core, knowledge, engine, storage, interop, demo, settings, paths, services, stdlib.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from itp_desktop import __version__
from itp_desktop.core.clock import Clock
from itp_desktop.core.errors import ItpError
from itp_desktop.core.models.records import BackupInfo
from itp_desktop.paths import AppPaths
from itp_desktop.services.api import AppInfo
from itp_desktop.services.exchange import ExchangeService
from itp_desktop.services.knowledge import DEFAULT_DISCLAIMER, KnowledgeService
from itp_desktop.services.patients import PatientService
from itp_desktop.services.store import StoreService
from itp_desktop.services.store_handle import StoreHandle
from itp_desktop.settings import Settings

if TYPE_CHECKING:
    from itp_desktop.core.models.assessment import Assessment
    from itp_desktop.core.models.patient import Patient
    from itp_desktop.reports import SiteInfo
    from itp_desktop.services.assessment import AssessmentService
    from itp_desktop.services.demo import DemoService
    from itp_desktop.services.reports import ReportService
    from itp_desktop.storage.sqlite_store import SqliteStore


@dataclass(frozen=True)
class StoreOptions:
    """How stores of this installation are opened.

    Attributes:
        backup_dir: folder of backups (settings may move it).
        keep_backups: backups kept per reason.
        clock: time of audit entries and backups.
    """

    backup_dir: Path
    keep_backups: int
    clock: Clock

    def open(self, path: Path, *, daily_backup: bool = True) -> SqliteStore:
        """Open (creating or migrating) the store at `path`."""
        from itp_desktop.storage.sqlite_store import SqliteStore

        return SqliteStore(
            path,
            backup_dir=self.backup_dir,
            clock=self.clock,
            keep_backups=self.keep_backups,
            daily_backup=daily_backup,
        )

    def restore(self, store_path: Path, source: Path) -> BackupInfo | None:
        """Replace the (closed) store with a verified copy of `source`."""
        from itp_desktop.storage.sqlite_store import SqliteStore

        return SqliteStore.restore(
            store_path,
            source,
            backup_dir=self.backup_dir,
            clock=self.clock,
            keep_backups=self.keep_backups,
        )


@dataclass(frozen=True)
class Services:
    """Every application service of one installation.

    Attributes:
        paths: folders of the installation.
        settings: user settings at start-up.
        clock: the injected clock.
        store: backup, restore, verify (and the store's path).
        knowledge: the knowledge pack in use.
        patients: the patient registry.
        exchange: import and export of exchange files.
        assessment: assessments and suppressions.
        demo: demo and synthetic stores.
    """

    paths: AppPaths
    settings: Settings
    clock: Clock
    store_handle: StoreHandle
    store: StoreService
    knowledge: KnowledgeService
    patients: PatientService
    exchange: ExchangeService
    assessment: AssessmentService
    demo: DemoService

    def app_info(self) -> AppInfo:
        """Version, store path and knowledge pack, for the status bar and About box."""
        status: str
        try:
            label = self.knowledge.label()
            status = self.knowledge.pack().meta.status
            disclaimer = self.knowledge.disclaimer()
        except ItpError as exc:
            # A broken department pack must not stop the registry from opening; the status
            # bar says that assessments are unavailable and why.
            label, status = f"unavailable ({exc.message})", "unavailable"
            disclaimer = DEFAULT_DISCLAIMER
        return AppInfo(
            version=__version__,
            store_path=str(self.store_handle.path),
            log_dir=str(self.paths.log_dir),
            knowledge_pack=label,
            knowledge_status=status,
            disclaimer=disclaimer,
        )

    def site_info(self, settings: Settings | None = None) -> SiteInfo:
        """The department printed on documents: settings plus ``<site_dir>/logo.png``."""
        from itp_desktop.reports import SiteInfo

        current = settings or self.settings
        logo = self.paths.site_dir / "logo.png"
        return SiteInfo(
            name=current.site_name or "ITP clinic",
            department=current.department,
            phone=current.clinic_phone,
            logo_path=logo if logo.is_file() else None,
        )

    def reports(self, settings: Settings | None = None) -> ReportService:
        """The printed-care-plan service, wired to this installation's store, pack and site.

        Args:
            settings: the settings in force now (the GUI passes edited settings); default the
                settings at start-up.
        """
        from itp_desktop.services.reports import ReportService

        assessment = self.assessment
        repository = self.store_handle.repository

        def assess(patient: Patient, day: dt.date) -> Assessment:
            # Stored patients are assessed with their suppressions, as the GUI shows them.
            if patient.id:
                return assessment.assess(patient.id, day)
            return assessment.assess_record(patient, day)

        return ReportService(
            get=self.patients.get,
            assess=assess,
            pack=self.knowledge.pack(),
            site=self.site_info(settings),
            clock=self.clock,
            record_event=lambda *args: repository().record_event(*args),
        )

    def today(self) -> dt.date:
        """Today from the injected clock."""
        return self.clock.today()

    def close(self) -> None:
        """Close the store (idempotent)."""
        self.store_handle.close()


def build_services(
    paths: AppPaths,
    settings: Settings,
    clock: Clock,
    *,
    kb_dir: Path | None = None,
) -> Services:
    """Wire every service of an installation (nothing is opened or loaded yet).

    Args:
        paths: folders of the installation.
        settings: user settings (backup folder and how many backups to keep).
        clock: the clock.
        kb_dir: a department knowledge pack folder replacing ``<site_dir>/knowledge``.
    """
    from itp_desktop.services.assessment import AssessmentService
    from itp_desktop.services.demo import DemoService

    backup_dir = Path(settings.backup_dir).expanduser() if settings.backup_dir else None
    options = StoreOptions(
        backup_dir=backup_dir or paths.backup_dir,
        keep_backups=settings.backup_keep,
        clock=clock,
    )

    def open_installation_store() -> SqliteStore:
        paths.ensure()
        return options.open(paths.store_path)

    handle = StoreHandle(paths.store_path, open_installation_store)
    knowledge = KnowledgeService(paths.site_dir, kb_dir)
    patients = PatientService(handle, knowledge, clock)
    exchange = ExchangeService(handle, patients, knowledge, clock)

    def restore(source: Path) -> BackupInfo | None:
        return options.restore(paths.store_path, source)

    def open_new_store(path: Path) -> SqliteStore:
        paths.ensure()
        return options.open(path, daily_backup=False)

    return Services(
        paths=paths,
        settings=settings,
        clock=clock,
        store_handle=handle,
        store=StoreService(handle, restore),
        knowledge=knowledge,
        patients=patients,
        exchange=exchange,
        assessment=AssessmentService(handle, knowledge, exchange, clock),
        demo=DemoService(handle, patients, clock, open_new_store, restore),
    )
