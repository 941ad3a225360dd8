"""The human-readable summary printed by `variorum diff`."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Mapping
from typing import TextIO

from viewer.core import Comparison, Difference, DifferenceKind, Side, Span
from viewer.core.describe import style_change

_RED = "\033[31m"
_GREEN = "\033[32m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_RESET = "\033[0m"


class LineIndex:
    """Line:column of offsets in one text, from its line starts found once (counting the
    newlines before each of thousands of differences in a long text took minutes)."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def where(self, offset: int) -> str:
        line = bisect_right(self.starts, offset)
        return f"{line}:{offset - self.starts[line - 1] + 1}"


PARAGRAPH_BREAK = "¶ paragraph break"

#: What a report says of the kinds of difference that `diff --only` and `--hide` leave out.
HIDDEN_BY_OPTIONS = "as --only or --hide asked"


def flat(text: str) -> str:
    """A difference's text on one line: its words, or what its whitespace is."""
    if text.strip():
        return " ".join(text.split())
    if text.count("\n") >= 2:
        return PARAGRAPH_BREAK
    return "↵ line break" if "\n" in text else "· space"


def side_text(comparison: Comparison, d: Difference, side: Side) -> str | None:
    """What one side of a difference shows in a report: its words on one line, what its white
    space is, or None where it has nothing. The side of a break that has the paragraph break
    shows one, whatever stands there in its text: a single line end in a text with a paragraph
    on each line, or nothing where an extraction ran two blocks together."""
    if d.kind is DifferenceKind.BREAK and comparison.change(d.id).marked_side is side:
        return PARAGRAPH_BREAK
    span = d.span(side)
    return None if span.is_empty else shortened(flat(span.text))


def shortened(shown: str) -> str:
    """At most about 160 characters: the start and the end of a long text."""
    return shown[:100] + " … " + shown[-50:] if len(shown) > 160 else shown


def around(source: str, span: Span, context: int) -> tuple[str, str]:
    """Up to six words of the text before and after a span, within `context` characters."""
    before = " ".join(source[max(0, span.start - context) : span.start].split()[-6:])
    after = " ".join(source[span.end : span.end + context].split()[:6])
    return before, after


def _side_line(
    label: str, source: str, lines: LineIndex, span: Span, text: str | None, context: int, color: str | None
) -> str:
    if text is None:
        body = "(nothing)"
        if color:
            body = f"{_DIM}{body}{_RESET}"
    else:
        body = f"{color}{text}{_RESET}" if color else f"[{text}]"
    before, after = around(source, span, context)
    where = lines.where(span.start)
    return f"  {label} {where:>7}  …{before} {body} {after}…"


def write_summary(
    comparison: Comparison,
    out: TextIO,
    *,
    color: bool,
    context: int = 40,
    hidden: Collection[DifferenceKind] = (),
) -> None:
    """Counts per kind, then each difference with a little context on both sides; `hidden`
    kinds are left out, and counted as such."""
    left, right = comparison.left, comparison.right
    out.write(
        f"left:  {left.path or left.name} ({left.decoded.encoding_label}, {left.decoded.newline_label})\n"
        f"right: {right.path or right.name} ({right.decoded.encoding_label}, {right.decoded.newline_label})\n"
    )
    diffs = [d for d in comparison.differences if d.kind not in hidden]
    left_out = len(comparison.differences) - len(diffs)
    listed, unlisted = split_summary(comparison.summary, hidden)
    more = " more" if diffs else ""
    not_listed = f" ({left_out}{more} not listed: {_counts(unlisted)})" if left_out else ""
    if not diffs:
        if left_out:
            out.write(f"no differences of the kinds listed{not_listed}\n")
        else:
            out.write("no differences after whitespace normalization\n")
        return
    counts = _counts(listed)
    out.write(f"{len(diffs)} difference{'s' if len(diffs) != 1 else ''}: {counts}{not_listed}\n\n")
    lines = (LineIndex(left.text), LineIndex(right.text))
    for d in diffs:
        _write_one(d, comparison, lines, out, color, context)


def split_summary(
    summary: Mapping[str, int], hidden: Collection[DifferenceKind]
) -> tuple[dict[str, int], dict[str, int]]:
    """A count of differences by kind (a comparison's or a pair's summary) split in two: the
    kinds listed, and the `hidden` ones."""
    names = {kind.value for kind in hidden}
    listed = {kind: n for kind, n in summary.items() if kind not in names}
    return listed, {kind: n for kind, n in summary.items() if kind in names}


def _counts(summary: Mapping[str, int]) -> str:
    """ "2 wording, 1 link": the counts by kind, most first."""
    return ", ".join(f"{n} {kind}" for kind, n in sorted(summary.items(), key=lambda kv: -kv[1]))


def summary_json(comparison: Comparison, hidden: Collection[DifferenceKind] = ()) -> dict[str, object]:
    """The comparison as `diff --json` gives it: with `hidden` kinds, their differences left
    out of the list and the summary, and counted under "hidden"."""
    report = comparison.to_json()
    if hidden:
        report["differences"] = [d.to_json() for d in comparison.differences if d.kind not in hidden]
        report["summary"], report["hidden"] = split_summary(comparison.summary, hidden)
    return report


def _write_one(
    d: Difference,
    comparison: Comparison,
    lines: tuple[LineIndex, LineIndex],
    out: TextIO,
    color: bool,
    context: int,
) -> None:
    styles = style_change(comparison, d.id)
    head = f"{d.id} {d.kind.value}" + (f" ({styles})" if styles else "")
    out.write(f"{_BOLD}{head}{_RESET}\n" if color else f"{head}\n")
    for label, side, index, hue in (("<", Side.LEFT, lines[0], _RED), (">", Side.RIGHT, lines[1], _GREEN)):
        text = side_text(comparison, d, side)
        source = comparison.variant(side).text
        out.write(
            _side_line(label, source, index, d.span(side), text, context, hue if color else None) + "\n"
        )
