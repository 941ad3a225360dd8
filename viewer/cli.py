"""The `variorum` command: the window, or headless diff / merge / normalize over the engine.

Nothing here imports Qt unless the window is asked for, so the headless commands,
--help and --version start fast and work without a display.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from viewer import __version__

COMMANDS = ("diff", "merge", "normalize")

EPILOG = """\
commands (run 'variorum COMMAND --help' for each):
  diff LEFT RIGHT        summary of the differences (exit 0 same, 1 different, 2 trouble)
  merge LEFT RIGHT       the canonical text merged from both variants
  normalize FILE         one variant's text, reflowed

with no command, opens the comparison window on LEFT and RIGHT (or empty)."""


class UsageError(Exception):
    """Bad arguments or input: reported on stderr with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _gui_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="variorum",
        description="Compare variants of one document and merge them into one canonical text.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="the two variants (or one, to pick the other)")
    p.add_argument("--version", action="version", version=f"variorum {__version__}")
    p.add_argument(
        "--install-desktop", action="store_true", help="add Variorum to the desktop's Open With menus"
    )
    p.add_argument("--uninstall-desktop", action="store_true", help="remove the desktop entry again")
    p.add_argument(
        "--decisions", metavar="FILE.json", help="open with decisions saved before (or a JSON export)"
    )
    return p


def _add_pair(p: argparse.ArgumentParser) -> None:
    p.add_argument("left", metavar="LEFT")
    p.add_argument("right", metavar="RIGHT")
    p.add_argument("--ignore-case", action="store_true", help="letter case alone is no difference")


def _command_parser(command: str) -> argparse.ArgumentParser:
    p = _Parser(prog=f"variorum {command}")
    if command == "diff":
        p.description = "Show what differs between two variants after whitespace normalization."
        _add_pair(p)
        p.add_argument("--json", action="store_true", help="one JSON object instead of the summary")
        p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
        p.add_argument("--context", type=int, default=40, metavar="N", help="characters of context (40)")
    elif command == "merge":
        p.description = "Merge two variants into the canonical text."
        _add_pair(p)
        p.add_argument("-o", "--output", metavar="OUT", help="write here (atomically) instead of stdout")
        p.add_argument("--policy", choices=("canonical", "left", "right"), default="canonical")
        p.add_argument("--prefer", choices=("left", "right"), default="left", help="side wording comes from")
        p.add_argument("--decisions", metavar="FILE.json", help="decisions saved from the window or a script")
        p.add_argument(
            "--kind",
            action="append",
            default=[],
            metavar="KIND=RULE",
            help="override the canonical rule for a kind, e.g. caption=left (rules: prefer, marked, auto, "
            "left, right, both, neither)",
        )
        p.add_argument("--format", choices=("txt", "md", "json"), default="txt")
    else:
        p.description = "Print one variant's text reflowed: one paragraph per line, a blank line between."
        p.add_argument("file", metavar="FILE")
        p.add_argument("-o", "--output", metavar="OUT")
        p.add_argument("--format", choices=("txt", "md"), default="txt")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in COMMANDS:
            ns = _command_parser(args[0]).parse_args(args[1:])
            return int(_RUNNERS[args[0]](ns))
        ns = _gui_parser().parse_args(args)
        return _run_gui(ns)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _run_gui(ns: argparse.Namespace) -> int:
    if ns.install_desktop or ns.uninstall_desktop:
        from viewer.desktop import install_desktop, uninstall_desktop

        try:
            message = install_desktop() if ns.install_desktop else uninstall_desktop()
        except OSError as exc:
            raise UsageError(f"variorum: {exc}") from None
        print(message)
        return 0
    if len(ns.files) > 2:
        raise UsageError("variorum: give at most two files to compare")
    from viewer.ui.app import run_gui

    return int(run_gui(list(ns.files), ns.decisions))


def _load_pair(ns: argparse.Namespace):  # type: ignore[no-untyped-def]
    from viewer.core import CompareOptions, LoadError, compare, load_pair

    try:
        left, right = load_pair(ns.left, ns.right)
    except LoadError as exc:
        raise UsageError(f"variorum: {exc}") from None
    return compare(left, right, CompareOptions(ignore_case=ns.ignore_case))


def _write(text: str, output: str | None, protect: Sequence[str]) -> None:
    from viewer.core import LoadError, write_atomic

    if output is None or output == "-":
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
        return
    try:
        write_atomic(output, text if text.endswith("\n") or not text else text + "\n", protect=protect)
    except LoadError as exc:
        raise UsageError(f"variorum: {exc}") from None


def _cmd_diff(ns: argparse.Namespace) -> int:
    comparison = _load_pair(ns)
    if ns.json:
        json.dump(comparison.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        from viewer.report import write_summary

        color = ns.color == "always" or (ns.color == "auto" and _is_color_terminal(sys.stdout))
        write_summary(comparison, sys.stdout, color=color, context=max(0, ns.context))
    return 1 if comparison.differences else 0


def _is_color_terminal(stream: TextIO) -> bool:
    return stream.isatty() and os.environ.get("NO_COLOR") is None and os.environ.get("TERM") != "dumb"


def _cmd_merge(ns: argparse.Namespace) -> int:
    from viewer.core import DifferenceKind, MergePolicy, Side, match_decisions, merge, merge_json

    overrides = {}
    for item in ns.kind:
        kind, _, rule = item.partition("=")
        try:
            overrides[DifferenceKind(kind.strip())] = rule.strip()
        except ValueError:
            kinds = ", ".join(k.value for k in DifferenceKind)
            raise UsageError(f"variorum merge: unknown kind {kind!r} (kinds: {kinds})") from None
    try:
        policy = MergePolicy(ns.policy, Side(ns.prefer), overrides)
    except ValueError as exc:
        raise UsageError(f"variorum merge: {exc}") from None
    comparison = _load_pair(ns)
    decisions = {}
    if ns.decisions:
        from viewer.core.decisions import read_decisions

        try:
            matched = match_decisions(comparison, read_decisions(ns.decisions))
        except ValueError as exc:
            raise UsageError(f"variorum merge: {exc}") from None
        decisions = matched.decisions
        for entry in matched.dropped:
            print(
                f"variorum merge: decision {entry.get('id')} ({entry.get('kind')}) no longer applies",
                file=sys.stderr,
            )
    if ns.format == "json":
        text = json.dumps(merge_json(comparison, decisions, policy), ensure_ascii=False, indent=1)
    else:
        text = merge(comparison, decisions, policy, ns.format).text
    _write(text, ns.output, (ns.left, ns.right))
    return 0


def _cmd_normalize(ns: argparse.Namespace) -> int:
    from viewer.core import LoadError, load_variant, normalize

    try:
        variant = load_variant(ns.file)
    except LoadError as exc:
        raise UsageError(f"variorum: {exc}") from None
    _write(normalize(variant, ns.format), ns.output, (ns.file,))
    return 0


_RUNNERS = {"diff": _cmd_diff, "merge": _cmd_merge, "normalize": _cmd_normalize}
