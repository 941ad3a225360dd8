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
from typing import TYPE_CHECKING, TextIO

from viewer import __version__

if TYPE_CHECKING:
    from viewer.core import DifferenceKind, MergePolicy
    from viewer.core.folders import FolderPairing

COMMANDS = ("diff", "merge", "normalize")

EPILOG = """\
commands (run 'variorum COMMAND --help' for each):
  diff LEFT RIGHT        summary of the differences (exit 0 same, 1 different, 2 trouble)
  merge LEFT RIGHT       the canonical text merged from both variants
  normalize FILE         one variant's text, reflowed

LEFT and RIGHT can be two folders: diff and merge then pair their files by name.

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


FOLDERS_HELP = """\
LEFT and RIGHT can be two folders. A file then pairs with the file at the same
path in the other folder, or else with the one file of the same name less its
suffix (ch1.md with ch1.pdf); hidden files and files that are not documents
(.md .markdown .rst .rest .txt .text .html .htm .xhtml .pdf, or no suffix) are
left out. The pairs are worked on in parallel (--jobs)."""


def _add_pair(p: argparse.ArgumentParser) -> None:
    p.add_argument("left", metavar="LEFT", help="a file, or a folder of files")
    p.add_argument("right", metavar="RIGHT", help="a file, or a folder of files")
    p.add_argument("--ignore-case", action="store_true", help="letter case alone is no difference")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="with folders: pairs worked on at once (default: one per core)",
    )


def _command_parser(command: str) -> argparse.ArgumentParser:
    p = _Parser(prog=f"variorum {command}", formatter_class=argparse.RawDescriptionHelpFormatter)
    if command in ("diff", "merge"):
        p.epilog = FOLDERS_HELP
    if command == "diff":
        p.description = "Show what differs between two variants after whitespace normalization."
        _add_pair(p)
        p.add_argument("--json", action="store_true", help="one JSON object instead of the summary")
        p.add_argument(
            "--html",
            metavar="FILE",
            help="write a report of every difference as an HTML page (atomically) instead of the summary;"
            " with folders, a folder of reports with an index.html",
        )
        p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
        p.add_argument("--context", type=int, default=40, metavar="N", help="characters of context (40)")
        p.add_argument(
            "--only",
            metavar="KINDS",
            help="list only these kinds of difference, e.g. wording,typography; the exit status"
            " and the counts then go by them alone",
        )
        p.add_argument(
            "--hide", metavar="KINDS", help="leave these kinds of difference out, e.g. link,break,boilerplate"
        )
    elif command == "merge":
        p.description = "Merge two variants into the canonical text."
        _add_pair(p)
        p.add_argument(
            "-o",
            "--output",
            metavar="OUT",
            help="write here (atomically) instead of stdout; with folders, the folder to write into",
        )
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


def _folders(ns: argparse.Namespace, command: str) -> FolderPairing | None:
    """The pairing of two folders, None for two files; a folder against a file is refused."""
    dirs = os.path.isdir(ns.left), os.path.isdir(ns.right)
    if not any(dirs):
        return None
    if not all(dirs):
        folder, other = (ns.left, ns.right) if dirs[0] else (ns.right, ns.left)
        raise UsageError(
            f"variorum {command}: {folder} is a folder but {other} is not: give two files or two folders"
        )
    from viewer.core import LoadError
    from viewer.core.folders import pair_folders

    try:
        return pair_folders(ns.left, ns.right)
    except LoadError as exc:
        raise UsageError(f"variorum {command}: {exc}") from None


def _check_output_folder(folder: str, pairing: FolderPairing, command: str) -> None:
    from viewer.core import LoadError
    from viewer.core.folders import check_output_folder

    try:
        check_output_folder(folder, pairing)
    except LoadError as exc:
        raise UsageError(f"variorum {command}: {exc}") from None


def _jobs(ns: argparse.Namespace, command: str) -> int:
    if ns.jobs < 0:
        raise UsageError(f"variorum {command}: --jobs wants a number of processes (0: one per core)")
    from viewer.batch import default_jobs

    return ns.jobs or default_jobs()


def _hidden_kinds(ns: argparse.Namespace) -> frozenset[DifferenceKind]:
    """The kinds of difference that --only and --hide leave out."""
    from viewer.core import DifferenceKind

    def kinds(option: str, value: str) -> set[DifferenceKind]:
        named = set()
        for name in filter(None, (part.strip().lower() for part in value.split(","))):
            try:
                named.add(DifferenceKind(name))
            except ValueError:
                known = ", ".join(kind.value for kind in DifferenceKind)
                raise UsageError(f"variorum diff: {option}: unknown kind {name!r} (kinds: {known})") from None
        if not named:
            raise UsageError(f"variorum diff: {option} wants kinds of difference, e.g. wording,link")
        return named

    hidden: set[DifferenceKind] = set()
    if ns.only is not None:
        hidden = set(DifferenceKind) - kinds("--only", ns.only)
    if ns.hide is not None:
        hidden |= kinds("--hide", ns.hide)
    return frozenset(hidden)


def _cmd_diff(ns: argparse.Namespace) -> int:
    hidden = _hidden_kinds(ns)
    pairing = _folders(ns, "diff")
    if pairing is not None and ns.html:
        _check_output_folder(ns.html, pairing, "diff")
    if pairing is not None:
        from viewer.batch import diff_folders
        from viewer.core import CompareOptions

        color = ns.color == "always" or (ns.color == "auto" and _is_color_terminal(sys.stdout))
        return diff_folders(
            pairing,
            CompareOptions(ignore_case=ns.ignore_case),
            _jobs(ns, "diff"),
            sys.stdout,
            sys.stderr,
            as_json=ns.json,
            color=color,
            report_dir=ns.html or "",
            hidden=hidden,
        )
    comparison = _load_pair(ns)
    if ns.html:
        from viewer.html_report import html_report
        from viewer.report import HIDDEN_BY_OPTIONS

        page = html_report(comparison, hidden=hidden, hidden_why=HIDDEN_BY_OPTIONS)
        _write(page, ns.html, (ns.left, ns.right))
    elif ns.json:
        from viewer.report import summary_json

        json.dump(summary_json(comparison, hidden), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        from viewer.report import write_summary

        color = ns.color == "always" or (ns.color == "auto" and _is_color_terminal(sys.stdout))
        write_summary(comparison, sys.stdout, color=color, context=max(0, ns.context), hidden=hidden)
    return 1 if any(d.kind not in hidden for d in comparison.differences) else 0


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
    pairing = _folders(ns, "merge")
    if pairing is not None:
        return _merge_folders(ns, pairing, policy)
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


def _merge_folders(ns: argparse.Namespace, pairing: FolderPairing, policy: MergePolicy) -> int:
    from viewer.batch import merge_folders
    from viewer.core import CompareOptions

    if not ns.output or ns.output == "-":
        raise UsageError("variorum merge: with two folders, give the folder to write into (-o OUT)")
    if ns.decisions:
        raise UsageError("variorum merge: --decisions is for one pair of files, not for folders")
    _check_output_folder(ns.output, pairing, "merge")
    return merge_folders(
        pairing,
        CompareOptions(ignore_case=ns.ignore_case),
        policy,
        ns.format,
        ns.output,
        _jobs(ns, "merge"),
        sys.stdout,
        sys.stderr,
    )


def _cmd_normalize(ns: argparse.Namespace) -> int:
    from viewer.core import LoadError, load_variant, normalize

    try:
        variant = load_variant(ns.file)
    except LoadError as exc:
        raise UsageError(f"variorum: {exc}") from None
    _write(normalize(variant, ns.format), ns.output, (ns.file,))
    return 0


_RUNNERS = {"diff": _cmd_diff, "merge": _cmd_merge, "normalize": _cmd_normalize}
