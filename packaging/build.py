"""Build ITP Desktop's distributables: one entry point for CI, developers and hospital IT.

Usage:
    python packaging/build.py wheel          # dist/itp_desktop-<version>-py3-none-any.whl
    python packaging/build.py bundle         # dist/itp-desktop/ one-folder app (PyInstaller)
    python packaging/build.py archive        # dist/itp-desktop-<version>-<platform>.zip of the
                                             # bundle plus the department configuration example

The Windows installer (packaging/windows/installer.iss, Inno Setup) wraps the bundle built on
Windows. PyInstaller is a build-time tool only; it is installed on demand.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
PYINSTALLER = "pyinstaller==6.22.3"


def _version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "itp_desktop" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def _run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True, cwd=ROOT)


def build_wheel() -> Path:
    """Build the wheel (runtime assets and migrations are package data)."""
    DIST.mkdir(exist_ok=True)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(DIST), str(ROOT))
    wheel = next(DIST.glob(f"itp_desktop-{_version()}-*.whl"))
    print(f"wheel: {wheel}")
    return wheel


def build_bundle() -> Path:
    """Build a one-folder application with PyInstaller from packaging/itp_desktop.spec."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        _run(sys.executable, "-m", "pip", "install", "-q", PYINSTALLER)
    _run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--distpath",
        str(DIST),
        "--workpath",
        str(ROOT / "build" / "pyinstaller"),
        str(ROOT / "packaging" / "itp_desktop.spec"),
    )
    bundle = DIST / "itp-desktop"
    print(f"bundle: {bundle}")
    return bundle


def build_archive() -> Path:
    """Zip the bundle with the department configuration example for IT."""
    bundle = DIST / "itp-desktop"
    if not bundle.exists():
        bundle = build_bundle()
    system = f"{platform.system().lower()}-{platform.machine().lower()}"
    archive = DIST / f"itp-desktop-{_version()}-{system}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(bundle.rglob("*")):
            zf.write(path, Path("itp-desktop") / path.relative_to(bundle))
        example = ROOT / "packaging" / "department-config-example"
        for path in sorted(example.rglob("*")):
            zf.write(path, Path("department-config-example") / path.relative_to(example))
        zf.write(ROOT / "docs" / "INSTALL.md", "INSTALL.md")
    print(f"archive: {archive} ({archive.stat().st_size / 1e6:.1f} MB)")
    return archive


def main() -> int:
    """Parse the command line and build what was asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["wheel", "bundle", "archive", "clean"])
    args = parser.parse_args()
    if args.what == "clean":
        shutil.rmtree(DIST, ignore_errors=True)
        shutil.rmtree(ROOT / "build", ignore_errors=True)
    elif args.what == "wheel":
        build_wheel()
    elif args.what == "bundle":
        build_bundle()
    else:
        build_archive()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
