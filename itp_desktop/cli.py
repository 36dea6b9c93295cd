"""Command-line interface (composition-root layer): argument parsing and the sub-commands.

`build_parser` defines every command (docs/CLI.md documents them); `run` executes a parsed
command against the services and maps errors to exit codes: 0 success, 1 a check ran and found
problems (``verify``, ``kb validate``, ``kb test``), 2 bad input or any other expected error
(`ItpError`: the message goes to stderr, never a traceback), 70 an unexpected error (a short
message and the log file path on stderr; the traceback only in the log). Start-up stays lean:
this module imports only the standard library and small modules of our own at import time;
services, the store (SQLAlchemy) and the engine are imported inside `run`.
May import: everything (composition root).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from itp_desktop import __version__

if TYPE_CHECKING:
    from itp_desktop.core.clock import Clock
    from itp_desktop.core.models.patient import PatientSummary
    from itp_desktop.paths import AppPaths
    from itp_desktop.services.container import Services

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_SOFTWARE = 70
EXIT_INTERRUPTED = 130

DEFAULT_GOLDEN_DIR = Path("tests") / "data" / "golden"

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------- parsing
def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (no limit) or more, got {value}")
    return value


def _common_options() -> argparse.ArgumentParser:
    """Options accepted before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: an option given before the command is not reset by the sub-parser's default.
    common.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="keep the store, backups, settings and logs under DIR "
        "(default: $ITP_DESKTOP_DATA_DIR, else the user data folder)",
    )
    common.add_argument(
        "--kb-dir",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="department knowledge pack folder to apply over the default pack "
        "(default: <site folder>/knowledge)",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="also print log messages on stderr",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The ``itp-desktop`` argument parser with every sub-command."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="itp-desktop",
        parents=[common],
        description="ITP Desktop: offline assistant for immune thrombocytopenia clinics. "
        "Without a command, starts the desktop application.",
        epilog="See docs/CLI.md for every command with examples.",
    )
    parser.add_argument("--version", action="version", version=f"itp-desktop {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the application, creating the demo store first if there is no store yet",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", parents=[common], help="create a store filled with demo patients")
    demo.add_argument(
        "--patients",
        type=_positive_int,
        metavar="N",
        help="build a large synthetic store of N patients instead (benchmarks)",
    )
    demo.add_argument(
        "--seed", type=int, default=1, metavar="S", help="seed of the synthetic generator"
    )
    demo.add_argument(
        "--force",
        action="store_true",
        help="replace an existing store that holds patients (it is kept as a backup)",
    )

    listing = sub.add_parser("list", parents=[common], help="list or search patients")
    listing.add_argument(
        "query", nargs="?", default="", help="name fragment, MRN, or birth date YYYY-MM-DD"
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument(
        "--limit", type=_limit, default=100, metavar="N", help="at most N rows (0: all)"
    )
    listing.add_argument("--archived", action="store_true", help="include archived patients")

    schema = sub.add_parser("schema", parents=[common], help="print a JSON Schema")
    schema.add_argument(
        "what",
        choices=("patient", "assessment"),
        help="patient: the patient exchange file; assessment: the output of `assess`",
    )

    importing = sub.add_parser(
        "import", parents=[common], help="import exchange files (all or nothing)"
    )
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")

    export = sub.add_parser("export", parents=[common], help="export one patient to a file")
    export.add_argument("patient", metavar="PATIENT_ID", help="patient id (or exact MRN)")
    export.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE", help="file to write"
    )

    sub.add_parser("backup", parents=[common], help="write a backup of the store now")
    restore = sub.add_parser(
        "restore", parents=[common], help="replace the store with a verified backup"
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    sub.add_parser(
        "verify", parents=[common], help="check the store, its backups and the audit chain"
    )

    assess = sub.add_parser("assess", parents=[common], help="assess one patient file; prints JSON")
    assess.add_argument("file", type=Path, metavar="PATIENT_FILE")
    assess.add_argument(
        "--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="assessment date (default today)"
    )

    report = sub.add_parser(
        "report", parents=[common], help="write a printed care plan (PDF) for one patient"
    )
    report.add_argument("patient", metavar="PATIENT_ID", help="patient id (or exact MRN)")
    report.add_argument(
        "--kind",
        choices=("clinician", "patient", "card", "vaccines"),
        default="clinician",
        help="clinician care plan, patient plan, emergency wallet card or vaccination record",
    )
    report.add_argument(
        "--paper", choices=("a4", "letter"), default=None, help="paper size (default: settings)"
    )
    report.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="file to write"
    )
    report.add_argument(
        "--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="assessment date (default today)"
    )

    kb = sub.add_parser("kb", parents=[common], help="knowledge pack tools")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND", required=True)
    kb_sub.add_parser("show", parents=[common], help="describe the knowledge pack in use")
    kb_validate = kb_sub.add_parser(
        "validate", parents=[common], help="check a knowledge pack folder"
    )
    kb_validate.add_argument("pack", type=Path, metavar="PACK")
    kb_test = kb_sub.add_parser(
        "test", parents=[common], help="run the golden patients against the pack in use"
    )
    kb_test.add_argument(
        "dir",
        type=Path,
        nargs="?",
        metavar="DIR",
        help=f"folder of golden patient files (default: {DEFAULT_GOLDEN_DIR})",
    )
    return parser


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace | int:
    """Parse arguments; returns the exit code instead when argparse exits (help, usage error)."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit as exc:
        # --help, --version and usage errors: argparse already printed; pass its code on.
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE


def resolve_paths(args: argparse.Namespace) -> AppPaths:
    """`--data-dir`, else ``ITP_DESKTOP_DATA_DIR``, else the platform folders."""
    from itp_desktop.paths import ENV_SITE_DIR, AppPaths

    data_dir: Path | None = getattr(args, "data_dir", None)
    if data_dir is not None:
        site = os.environ.get(ENV_SITE_DIR)
        return AppPaths.from_base(data_dir, site_dir=Path(site) if site else None)
    return AppPaths.default()


# ---------------------------------------------------------------------- running
def run(
    args: argparse.Namespace,
    paths: AppPaths,
    *,
    clock: Clock | None = None,
    log_file: Path | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one parsed sub-command and return its exit code (never raises).

    Args:
        args: parsed arguments with a ``command``.
        paths: folders of this installation.
        clock: the clock (tests inject a fixed one); default the system clock.
        log_file: named in the message of an unexpected error.
        stdout: where results go (default ``sys.stdout``).
        stderr: where messages go (default ``sys.stderr``).
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    from itp_desktop.core.errors import ItpError

    services: Services | None = None
    try:
        if args.command in ("schema",):
            return _cmd_schema(args, out)
        services = _build_services(args, paths, clock)
        return _dispatch(args, services, out, err)
    except ItpError as exc:
        log.info("%s failed: %s", args.command, exc.message)
        print(f"error: {exc.message}", file=err)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Interrupted; nothing was left half-written.", file=err)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `itp-desktop list | head`: the reader left; that is not an error.
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:
        # A folder that cannot be created or written (permissions, full disk) is an
        # environment problem the user can fix, not a bug.
        log.exception("Operating-system error in command %s", args.command)
        what = f"cannot create or write {exc.filename}: " if exc.filename else ""
        print(f"error: {what}{exc.strerror or exc}", file=err)
        return EXIT_USAGE
    except Exception as exc:  # the boundary: log everything, show a short line
        log.exception("Unexpected error in command %s", args.command)
        where = f" Details were written to {log_file}." if log_file else ""
        print(
            f"Unexpected error ({type(exc).__name__}: {exc}). This is a bug in ITP Desktop; "
            f"nothing was left half-written.{where}",
            file=err,
        )
        return EXIT_SOFTWARE
    finally:
        if services is not None:
            services.close()


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        # No real file descriptor (captured output): nothing to silence.
        pass


def _build_services(args: argparse.Namespace, paths: AppPaths, clock: Clock | None) -> Services:
    from itp_desktop.core.clock import SystemClock
    from itp_desktop.services.container import build_services
    from itp_desktop.settings import load_user_settings

    settings = load_user_settings(paths.settings_path, paths.site_dir)
    return build_services(
        paths, settings, clock or SystemClock(), kb_dir=getattr(args, "kb_dir", None)
    )


def _dispatch(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    handlers = {
        "demo": _cmd_demo,
        "list": _cmd_list,
        "import": _cmd_import,
        "export": _cmd_export,
        "backup": _cmd_backup,
        "restore": _cmd_restore,
        "verify": _cmd_verify,
        "assess": _cmd_assess,
        "kb": _cmd_kb,
        "report": _cmd_report,
    }
    return handlers[args.command](args, services, out, err)


# ---------------------------------------------------------------------- commands
def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    if args.what == "patient":
        from itp_desktop.interop.exchange import exchange_json_schema

        schema = exchange_json_schema()
    else:
        from itp_desktop.core.models.assessment import Assessment

        schema = Assessment.model_json_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False), file=out)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    if args.patients is None:
        result = services.demo.build_demo_store(force=args.force)
    else:
        progress = _Progress(err, args.patients)
        result = services.demo.build_synthetic_store(
            args.patients, seed=args.seed, force=args.force, progress=progress
        )
        progress.finish()
    print(f"Demo store ready: {result.patients:,} patients in {result.store_path}", file=out)
    if result.replaced_backup is not None:
        print(f"The previous store was kept as backup {result.replaced_backup.path}", file=out)
    return EXIT_OK


class _Progress:
    """Progress on stderr: a rewritten line on a terminal, a line per 10 % otherwise."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self._stream = stream
        self._total = total
        self._tty = stream.isatty()
        self._last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        if self._tty:
            print(f"\r  {done:,} / {total:,} patients", end="", file=self._stream, flush=True)
            return
        tenth = done * 10 // max(total, 1)
        if tenth != self._last_tenth:
            self._last_tenth = tenth
            print(f"  {done:,} / {total:,} patients", file=self._stream, flush=True)

    def finish(self) -> None:
        if self._tty:
            print(file=self._stream)


def _cmd_report(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    services.store.require_store()
    patient_id = services.exchange.resolve_patient(args.patient)
    paper = args.paper or services.settings.paper_size
    written = services.reports().write(patient_id, args.kind, paper, args.output, as_of=args.as_of)
    print(f"Wrote the {args.kind} document ({paper.upper()}) to {written}", file=out)
    return EXIT_OK


def _cmd_list(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    if not services.store.exists:
        print(
            f"No patient store yet at {services.store.path}. "
            "Create the demo store with `itp-desktop demo`, or import patients.",
            file=err,
        )
        if args.json:
            print("[]", file=out)
        return EXIT_OK
    patients = services.patients
    total = patients.count(args.query, include_archived=args.archived)
    limit = total if args.limit == 0 else args.limit
    rows = (
        patients.search(args.query, limit=min(limit, 10_000), include_archived=args.archived)
        if limit
        else []
    )
    # The service pages at 10,000 rows; `--limit 0` on a huge store walks every page.
    while len(rows) < min(limit, total):
        page = patients.search(
            args.query,
            limit=min(10_000, limit - len(rows)),
            offset=len(rows),
            include_archived=args.archived,
        )
        if not page:
            break
        rows += page
    if args.json:
        data = [row.model_dump(mode="json") for row in rows]
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    print(_table(rows), file=out)
    if len(rows) < total:
        print(f"{len(rows):,} of {_plural(total, 'patient')}", file=out)
    else:
        print(_plural(total, "patient"), file=out)
    return EXIT_OK


def _table(rows: Sequence[PatientSummary]) -> str:
    header = ("ID", "MRN", "NAME", "BIRTH DATE")
    lines = [
        (
            row.id,
            row.mrn,
            f"{row.family_name.upper()}, {row.given_name}".rstrip(", ")
            + (" (archived)" if row.archived else ""),
            row.birth_date.isoformat(),
        )
        for row in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*line).rstrip() for line in (header, *lines))


def _cmd_import(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    result = services.exchange.import_files(args.files)
    print(
        f"Imported {_plural(result.created + result.updated, 'patient')} from "
        f"{_plural(len(result.files), 'file')} ({result.created:,} new, "
        f"{result.updated:,} updated).",
        file=out,
    )
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    services.store.require_store()
    patient_id = services.exchange.resolve_patient(args.patient)
    path = services.exchange.export_patients([patient_id], args.output)
    print(f"Exported patient {patient_id} to {path}", file=out)
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    info = services.store.backup()
    print(f"Backup written: {info.path} ({info.size_bytes:,} bytes)", file=out)
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    result = services.store.restore(args.file)
    print(f"Store restored from {args.file}.", file=out)
    if result.replaced_backup is not None:
        print(f"The replaced store was kept as backup {result.replaced_backup.path}", file=out)
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    report = services.store.verify()
    for check in report.checks:
        mark = "OK  " if check.ok else "FAIL"
        detail = f": {check.detail}" if check.detail else ""
        print(f"{mark}  {check.name}{detail}", file=out)
    if report.ok:
        print("All checks passed.", file=out)
        return EXIT_OK
    failed = sum(1 for check in report.checks if not check.ok)
    print(f"{_plural(failed, 'check')} failed.", file=out)
    if report.first_broken_audit_seq is not None:
        print(f"First broken audit entry: seq {report.first_broken_audit_seq}", file=out)
    return EXIT_CHECK_FAILED


def _cmd_assess(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    assessment = services.assessment.assess_file(args.file, args.as_of)
    # Serialise fully before printing: on any error nothing reaches stdout (contract).
    text = assessment.model_dump_json(indent=2)
    print(text, file=out)
    return EXIT_OK


def _cmd_kb(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    knowledge = services.knowledge
    if args.kb_command == "show":
        print(knowledge.describe(), file=out)
        due = knowledge.review_due(services.today())
        if due:
            # Listing 100+ ids buries the point; the count and a few examples carry it.
            shown = ", ".join(due[:5]) + (", …" if len(due) > 5 else "")
            total = len(knowledge.pack().rules)
            print(
                f"\nReview due: {len(due)} of {total} rules are past their review date ({shown}).",
                file=out,
            )
        return EXIT_OK
    if args.kb_command == "validate":
        problems = knowledge.validate_folder(args.pack)
        if not problems:
            print(f"OK: {args.pack} is a valid knowledge pack.", file=out)
            return EXIT_OK
        for problem in problems:
            print(problem, file=out)
        print(f"{_plural(len(problems), 'problem')} found.", file=out)
        return EXIT_CHECK_FAILED
    folder = args.dir
    if folder is None:
        if not DEFAULT_GOLDEN_DIR.is_dir():
            from itp_desktop.core.errors import NotFound

            raise NotFound(
                f"No DIR given and {DEFAULT_GOLDEN_DIR} does not exist here; "
                "give the folder of golden patient files"
            )
        folder = DEFAULT_GOLDEN_DIR
    report = knowledge.run_golden(folder)
    print(report.render(), file=out)
    return EXIT_CHECK_FAILED if report.failed else EXIT_OK
