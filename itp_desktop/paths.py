"""`AppPaths`: every folder the application uses, built once and injected.

Two constructors: `AppPaths.default()` from platformdirs (user data/config/log/cache and the
site config folder for department packs), and `AppPaths.from_base(dir)` for `--data-dir`,
`ITP_DESKTOP_DATA_DIR`, tests, demos and portable installs. Nothing computes a path at import
time. May import: stdlib, platformdirs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "itp-desktop"
APP_AUTHOR = "itp-desktop"
ENV_DATA_DIR = "ITP_DESKTOP_DATA_DIR"
ENV_SITE_DIR = "ITP_DESKTOP_SITE_DIR"
STORE_FILENAME = "itp-desktop.sqlite3"


@dataclass(frozen=True)
class AppPaths:
    """Folders and files of one installation.

    Attributes:
        data_dir: holds the store (`store_path`).
        backup_dir: rotating and manual backups of the store.
        config_dir: user settings (`settings_path`).
        log_dir: rotating log files and crash reports.
        cache_dir: disposable files.
        reports_dir: default folder for PDFs written by the app.
        site_dir: the department configuration folder (department knowledge packs, logo,
            department defaults), normally installed by hospital IT.
    """

    data_dir: Path
    backup_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path
    reports_dir: Path
    site_dir: Path

    @property
    def store_path(self) -> Path:
        """The SQLite store file."""
        return self.data_dir / STORE_FILENAME

    @property
    def settings_path(self) -> Path:
        """The user settings JSON file."""
        return self.config_dir / "settings.json"

    @classmethod
    def from_base(cls, base: Path, *, site_dir: Path | None = None) -> AppPaths:
        """All folders under one base folder (``--data-dir``)."""
        base = base.expanduser().resolve()
        return cls(
            data_dir=base,
            backup_dir=base / "backups",
            config_dir=base / "config",
            log_dir=base / "logs",
            cache_dir=base / "cache",
            reports_dir=base / "reports",
            site_dir=site_dir if site_dir is not None else base / "site",
        )

    @classmethod
    def default(cls, *, env: dict[str, str] | None = None) -> AppPaths:
        """Folders from platformdirs, or from ``ITP_DESKTOP_DATA_DIR`` when it is set."""
        import platformdirs  # imported here: keeps start-up lean and paths out of import time

        env = dict(os.environ) if env is None else env
        site_env = env.get(ENV_SITE_DIR)
        site = Path(site_env) if site_env else None
        if env.get(ENV_DATA_DIR):
            return cls.from_base(Path(env[ENV_DATA_DIR]), site_dir=site)
        dirs = platformdirs.PlatformDirs(APP_NAME, APP_AUTHOR)
        data = Path(dirs.user_data_dir)
        return cls(
            data_dir=data,
            backup_dir=data / "backups",
            config_dir=Path(dirs.user_config_dir),
            log_dir=Path(dirs.user_log_dir),
            cache_dir=Path(dirs.user_cache_dir),
            reports_dir=Path(platformdirs.user_documents_dir()) / "ITP Desktop",
            site_dir=site if site is not None else Path(dirs.site_config_dir),
        )

    def ensure(self) -> None:
        """Create the user folders (owner-only on POSIX); the site folder is IT's, not ours."""
        for folder in (
            self.data_dir,
            self.backup_dir,
            self.config_dir,
            self.log_dir,
            self.cache_dir,
            self.reports_dir,
        ):
            folder.mkdir(parents=True, exist_ok=True)
            if os.name == "posix" and folder != self.reports_dir:
                folder.chmod(0o700)
