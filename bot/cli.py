"""The ``segbot`` command: ``analyze`` a file, ``chat`` in the terminal, ``run`` the Telegram bot.

A thin shell: it parses arguments, calls the packages and turns their exceptions into one
clear line on stderr (exit status 2 for bad input), never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.columns import MeaningsTextError, parse_meanings
from bot.config import TOKEN_ENV, Config, ConfigError, load_config
from bot.report import report_pdf
from bot.text import segments as segments_text
from bot.text import target as target_text
from bot.text import upload as upload_text
from bot.text.format import plain_text, terminal_text
from bot.text.report import ReportFacts
from bot.uploads import render_plots
from segmentation import (
    MEANINGS,
    CustomerTable,
    IngestError,
    Segmentation,
    SegmentationError,
    SegmentOptions,
    assignments_csv,
    close_call,
    load_customers,
    rank_targets,
    segment_customers,
    typical_customers,
)
from storage import StoreError, backup_database

logger = logging.getLogger(__name__)

#: Exit status for bad input or a bad configuration.
EXIT_BAD_INPUT = 2
#: Exit status for an unexpected failure.
EXIT_FAILURE = 1


class UsageError(Exception):
    """Bad input the user can fix; the message says how."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="segbot", description="Segment a mall's customers from a CSV export."
    )
    subs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    analyze = subs.add_parser(
        "analyze", help="segment a CSV file and write the plots and labelled list"
    )
    analyze.add_argument("file", nargs="?", type=Path, help="the customer CSV (or .xlsx)")
    analyze.add_argument(
        "--sample",
        nargs="?",
        const="members",
        choices=SAMPLES,
        help="use a bundled synthetic sample: members (default) or purchases",
    )
    analyze.add_argument("--k", type=int, help="number of segments (default: chosen for you)")
    analyze.add_argument("--features", help="columns to segment on, e.g. income,score")
    analyze.add_argument(
        "--columns",
        help="what headers mean (age, income, score, gender or id), "
        "e.g. AI_k=income,SS_1_100=score",
    )
    analyze.add_argument("--out", type=Path, default=Path("segbot-out"), help="output folder")
    analyze.add_argument(
        "--report", type=Path, metavar="PDF", help="also write the printable report to PDF"
    )
    analyze.add_argument("--config", type=Path, help="a config.toml (limits and k range)")

    chat = subs.add_parser("chat", help="talk to the bot in this terminal, no Telegram needed")
    chat.add_argument("--data", type=Path, help="a CSV file to upload at start")
    chat.add_argument(
        "--sample",
        nargs="?",
        const="members",
        choices=SAMPLES,
        help="upload a bundled sample at start: members (default) or purchases",
    )
    chat.add_argument("--config", type=Path, help="a config.toml (storage path, limits)")
    chat.add_argument(
        "--out", type=Path, default=Path("segbot-out"), help="folder for pictures and files"
    )

    run = subs.add_parser("run", help="run the Telegram bot (long polling, or a webhook)")
    run.add_argument("--config", type=Path, help="a config.toml (token, allow-list, storage)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve a webhook at [telegram] webhook_url instead of long polling",
    )

    backup = subs.add_parser(
        "backup", help="copy the database safely while the bot runs (WAL-safe, checked)"
    )
    backup.add_argument("dest", type=Path, help="the backup file (or a folder) to write")
    backup.add_argument("--config", type=Path, help="a config.toml (its [storage] path)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``segbot`` console script.

    Returns:
        The exit status: 0 on success, 2 for bad input or configuration, 1 for a failure.
    """
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings():
        # Library warnings (numpy overflow, pandas dtype notes) are for developers: each is
        # logged once at debug level, never printed to a manager's terminal or the journal.
        warnings.simplefilter("default")
        warnings.showwarning = _log_warning
        return _run_command(args)


def _log_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Log a library warning at debug level instead of printing it."""
    logger.debug("library warning (%s:%d) %s: %s", filename, lineno, category.__name__, message)


def _run_command(args: argparse.Namespace) -> int:
    """Run the chosen subcommand; bad input becomes one line on stderr and status 2."""
    try:
        config = load_config(args.config)
        _loaded_tokens.add(config.telegram.token)
        logging.basicConfig(
            # Local commands print their own output; only the bot logs at the configured level.
            level=config.logging.level.upper() if args.command == "run" else "WARNING",
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        # httpx logs every request URL, which carries the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        if args.command == "analyze":
            return analyze(args, config)
        if args.command == "chat":
            return chat(args, config)
        if args.command == "backup":
            return backup(args, config)
        return run(config, webhook=args.webhook)
    except (UsageError, ConfigError, IngestError, SegmentationError, StoreError) as exc:
        print(f"segbot: {terminal_text(redact(str(exc)))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_FAILURE
    except Exception as exc:  # the shell's safety net: one line, details in the log
        logger.debug("unexpected failure", exc_info=True)
        print(
            f"segbot: unexpected error ({type(exc).__name__}): {terminal_text(redact(str(exc)))}",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def redact(text: str) -> str:
    """``text`` without the bot token, wherever a library quoted it."""
    token = os.environ.get(TOKEN_ENV, "")
    for secret in {token, *_loaded_tokens}:
        if secret:
            text = text.replace(secret, "<token>")
    return text


#: Tokens read from config files in this process, for :func:`redact`.
_loaded_tokens: set[str] = set()


#: The bundled synthetic samples: a member list and a purchase log.
SAMPLES = ("members", "purchases")


def sample_file(kind: str) -> tuple[str, bytes]:
    """A bundled sample's file name and bytes (``members`` or ``purchases``)."""
    from segmentation import purchase_log_csv, sample_csv

    if kind == "purchases":
        return "sample_purchases.csv", purchase_log_csv()
    return "sample_mall_customers.csv", sample_csv()


def read_input(args: argparse.Namespace) -> tuple[str, bytes]:
    """Return the file name and bytes to analyse.

    Raises:
        UsageError: No file, both a file and --sample, or an unreadable file.
    """
    if args.sample and args.file is not None:
        raise UsageError("give either a FILE or --sample, not both")
    if args.sample:
        return sample_file(args.sample)
    if args.file is None:
        raise UsageError("give a FILE to analyse, or --sample for the bundled sample")
    path: Path = args.file
    if not path.exists():
        raise UsageError(f"no such file: {path}")
    if not path.is_file():
        raise UsageError(f"not a file: {path}")
    try:
        return path.name, path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def read_meanings(text: str) -> dict[str, str]:
    """Return ``--columns AI_k=income,SS_1_100=score`` as header -> meaning.

    Raises:
        UsageError: A pair without ``=`` or a meaning that is not one of the five words.
    """
    try:
        pairs = parse_meanings(text)
    except MeaningsTextError as exc:
        if exc.word:
            raise UsageError(
                f"--columns: {exc.word!r} is not a meaning (for {exc.header!r}); use "
                f"{', '.join(MEANINGS)}, e.g. --columns AI_k=income,SS_1_100=score"
            ) from None
        raise UsageError(
            f"--columns: cannot read {exc.fragment!r} as header=meaning; "
            "e.g. --columns AI_k=income,SS_1_100=score"
        ) from None
    return {header: word for header, word in pairs.items() if word is not None}


def analyze(args: argparse.Namespace, config: Config) -> int:
    """Run ``segbot analyze``: print the findings and write the plots and the labelled CSV."""
    filename, data = read_input(args)
    features = None
    if args.features:
        features = tuple(f.strip() for f in args.features.split(",") if f.strip())
    meanings = read_meanings(args.columns) if args.columns else None
    cfg = config.segmentation
    limits = config.limits.for_ingest()
    table = load_customers(data, filename, limits=limits, meanings=meanings)
    options = SegmentOptions(k=args.k, features=features, k_min=cfg.k_min, k_max=cfg.k_max)
    seg = segment_customers(table, options)
    ranks = rank_targets(seg)
    plots = render_plots(table, seg)

    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, png in plots.items():
            path = out / f"{name}.png"
            path.write_bytes(png)
            written.append(path)
        csv_path = out / "assignments.csv"
        csv_path.write_bytes(assignments_csv(table, seg))
        written.append(csv_path)
    except OSError as exc:
        raise UsageError(f"cannot write to {out}: {exc.strerror}") from None
    if args.report is not None:
        written.append(write_report(args.report, table, seg, plots["scatter"], args.file))

    sections = [
        [upload_text.receipt(table.receipt)],
        segments_text.segments_list(seg),
        segments_text.personas(seg),
        target_text.targets(seg, ranks, close_call(seg)),
    ]
    for messages in sections:
        for message in messages:
            print(terminal_text(plain_text(message)))
        print()
    print("Written:")
    for path in written:
        print(f"  {path}")
    return 0


def write_report(
    path: Path, table: CustomerTable, seg: Segmentation, chart: bytes, source: Path | None
) -> Path:
    """Write the report of a fresh segmentation; its date is the file's modification time.

    Raises:
        UsageError: The PDF cannot be written.
    """
    moment = datetime(2026, 1, 1, tzinfo=UTC)  # the bundled samples have no file date
    if source is not None:
        moment = datetime.fromtimestamp(int(source.stat().st_mtime), tz=UTC)
    facts = ReportFacts(
        filename=table.receipt.filename,
        uploaded_at=moment.isoformat(),
        receipt=table.receipt.to_dict(),
        ranks=tuple(rank_targets(seg)),
        close=close_call(seg),
        chart=chart,
        typical=typical_customers(seg),
    )
    try:
        if path.parent != Path():
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(report_pdf(seg, facts))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    return path


def chat(args: argparse.Namespace, config: Config) -> int:
    """Run ``segbot chat``: the conversation in this terminal."""
    from bot.console import run_console

    if args.data is not None and not args.data.is_file():
        raise UsageError(f"no such file: {args.data}")
    return asyncio.run(
        run_console(
            config,
            stdin=sys.stdin,
            stdout=sys.stdout,
            out_dir=args.out,
            data_file=args.data,
            sample=args.sample,
        )
    )


def run(config: Config, *, webhook: bool = False) -> int:
    """Run ``segbot run``: the Telegram bot, until Ctrl-C or SIGTERM."""
    config.check_can_serve()
    # Imported here so analyze and chat work without touching python-telegram-bot.
    from bot.telegram_run import run_bot

    run_bot(config, webhook=webhook)
    return 0


def backup(args: argparse.Namespace, config: Config) -> int:
    """Run ``segbot backup DEST``: a checked copy of the database, safe while the bot runs."""
    report = backup_database(config.storage.path, args.dest)
    size_mb = report.size_bytes / 1_000_000
    print(
        f"Backed up {report.uploads} uploads to {report.path} ({size_mb:.1f} MB); "
        "integrity check passed."
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
