"""A comparison as one self-contained HTML page, to share what differs: the two files, the
counts by kind, then every difference with a little context on each side (and its decision,
from the window)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from html import escape
from pathlib import Path

from viewer import __version__
from viewer.core import Comparison, Decision, Difference, DifferenceKind, Side, Span
from viewer.core.describe import style_change
from viewer.core.folders import FilePair, FolderPairing, PairOutcome, tally
from viewer.look import KIND_LOOKS, KIND_ORDER
from viewer.report import LineIndex, around, side_text

_UNDERLINE = {"content": "solid", "cosmetic": "wavy", "furniture": "dotted"}

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 80em; padding: 0 1em;
       color: #222; background: #fff; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
.meta { color: #666; margin: 0 0 1em; }
.kinds { display: flex; flex-wrap: wrap; gap: .4em; margin: 0 0 1.2em; padding: 0; list-style: none; }
.kinds li { border: 1px solid #ccc; border-radius: 1em; padding: .1em .7em .1em .2em; }
.glyph { display: inline-block; min-width: 1.4em; text-align: center; border-radius: .7em; color: #fff;
         font-weight: bold; margin-right: .3em; }
table { border-collapse: collapse; width: 100%; }
table.differences { table-layout: fixed; }
td { overflow-wrap: anywhere; }
th, td { text-align: left; vertical-align: top; padding: .35em .5em; border-bottom: 1px solid #e4e4e4; }
th { position: sticky; top: 0; background: #f4f4f4; }
td.where { color: #777; font-size: .85em; white-space: nowrap; }
td.id { color: #777; white-space: nowrap; }
td.kind { white-space: nowrap; }
mark { background: none; color: inherit; text-decoration-line: underline; text-decoration-thickness: 2px;
       text-underline-offset: 3px; padding: 0 .1em; border-radius: 2px; }
.none { color: #999; font-style: italic; }
.yours { font-weight: bold; }
td.count { text-align: right; }
.kc { white-space: nowrap; }
.trouble { color: #c00; }
tr.alone td { color: #888; font-style: italic; }
@media (prefers-color-scheme: dark) {
  body { color: #ddd; background: #1e1e1e; } .meta, td.where, td.id { color: #999; }
  th { background: #2a2a2a; } th, td { border-color: #333; } .kinds li { border-color: #444; }
}
"""


def html_report(
    comparison: Comparison,
    *,
    decisions: Mapping[str, tuple[Decision, bool]] | None = None,
    hidden: Collection[DifferenceKind] = (),
    hidden_why: str = "as hidden in the window",
    context: int = 60,
) -> str:
    """The page. `decisions` (from the window) gives each difference's decision and whether the
    user made it; `hidden` kinds are left out, and said to be (`hidden_why`)."""
    left, right = comparison.left, comparison.right
    shown = [d for d in comparison.differences if d.kind not in hidden]
    left_name, right_name = left.path or left.name, right.path or right.name
    title = f"{Path(left_name).name} ↔ {Path(right_name).name}"
    counts = Counter(d.kind for d in shown)
    left_out = Counter(d.kind for d in comparison.differences if d.kind in hidden)
    parts = [
        *_head(title, _STYLE + _kind_styles()),
        '<p class="meta">',
        f"left {escape(left_name)} ({escape(left.decoded.encoding_label)})<br>",
        f"right {escape(right_name)} ({escape(right.decoded.encoding_label)})<br>",
        f"{len(shown):,} difference{'s' if len(shown) != 1 else ''} after whitespace normalization",
    ]
    if left_out:
        hidden_text = ", ".join(f"{n:,} {KIND_LOOKS[k].label.lower()}" for k, n in _ordered(left_out))
        parts.append(f" (not listed, {escape(hidden_why)}: {escape(hidden_text)})")
    parts.append(f"<br>{_signature()}</p>")
    parts.append('<ul class="kinds">')
    for kind, n in _ordered(counts):
        parts.append(f"<li>{_badge(kind)}{escape(KIND_LOOKS[kind].label)} {n:,}</li>")
    parts.append("</ul>")
    if not shown:
        parts.append("<p>The two variants have the same words.</p></body></html>")
        return "\n".join(parts)
    header = "<th>#</th><th>Kind</th><th>Left</th><th></th><th>Right</th><th></th>"
    # Fixed widths but for the two texts, which share what is left equally.
    widths = ["3.5em", "8.5em", "", "4.5em", "", "4.5em"]
    if decisions is not None:
        header += "<th>Decision</th>"
        widths.append("9em")
    columns = "".join(f'<col style="width:{w}">' if w else "<col>" for w in widths)
    parts.append(
        f'<table class="differences"><colgroup>{columns}</colgroup><thead><tr>{header}</tr></thead><tbody>'
    )
    lines = (LineIndex(left.text), LineIndex(right.text))
    for d in shown:
        parts.append(_row(d, comparison, lines, context, decisions))
    parts.append("</tbody></table></body></html>")
    return "\n".join(parts)


def _head(title: str, style: str) -> list[str]:
    """A page's opening, up to and with its heading."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Variorum: {escape(title)}</title>",
        f"<style>{style}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
    ]


def _signature() -> str:
    """Which version wrote the page, and when."""
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    return f"Variorum {escape(__version__)}, {stamp}"


def _row(
    d: Difference,
    comparison: Comparison,
    lines: tuple[LineIndex, LineIndex],
    context: int,
    decisions: Mapping[str, tuple[Decision, bool]] | None,
) -> str:
    label = escape(KIND_LOOKS[d.kind].label)
    styles = style_change(comparison, d.id)
    kind = f'<td class="kind" title="{escape(styles)}">' if styles else '<td class="kind">'
    cells = [f'<td class="id">{escape(d.id)}</td>', f"{kind}{_badge(d.kind)}{label}</td>"]
    for side, index in ((Side.LEFT, lines[0]), (Side.RIGHT, lines[1])):
        span, text = d.span(side), side_text(comparison, d, side)
        cells.append(f"<td>{_excerpt(d.kind, span, text, comparison.variant(side).text, context)}</td>")
        cells.append(f'<td class="where">{index.where(span.start)}</td>')
    if decisions is not None:
        decision, yours = decisions.get(d.id, (None, False))
        if decision is None:
            cells.append("<td></td>")
        else:
            text = decision.choice.value + (f": {escape(decision.text)}" if decision.text else "")
            cells.append(f'<td class="yours">{text} (yours)</td>' if yours else f"<td>{text}</td>")
    return f"<tr>{''.join(cells)}</tr>"


def _excerpt(kind: DifferenceKind, span: Span, text: str | None, source: str, context: int) -> str:
    before, after = around(source, span, context)
    if text is None:
        body = '<span class="none">(nothing)</span>'
    else:
        body = f'<mark class="k-{kind.value}">{escape(text)}</mark>'
    return f"…{escape(before)} {body} {escape(after)}…"


def _badge(kind: DifferenceKind) -> str:
    look = KIND_LOOKS[kind]
    style = f'style="background:{look.hue}" title="{escape(look.label)}"'
    return f'<span class="glyph" {style}>{escape(look.glyph)}</span>'


def _kind_styles() -> str:
    return "".join(
        f"mark.k-{kind.value} {{ text-decoration-color: {look.hue};"
        f" text-decoration-style: {_UNDERLINE[look.family]}; background: {look.hue}22; }}\n"
        for kind, look in KIND_LOOKS.items()
    )


def _ordered(counts: Counter[DifferenceKind]) -> list[tuple[DifferenceKind, int]]:
    return [(kind, counts[kind]) for kind in KIND_ORDER if counts[kind]]


def folder_index(
    pairing: FolderPairing, outcomes: Sequence[PairOutcome], reports: Mapping[FilePair, str]
) -> str:
    """The page over two folders' pairs: each pair's status, count and kinds, linked to its own
    report (`reports`: a relative link for each pair that has one), then the files without a
    partner."""
    title = " ↔ ".join(Path(root).name or root for root in (pairing.left_root, pairing.right_root))
    parts = [
        *_head(title, _STYLE),
        f'<p class="meta">left {escape(pairing.left_root)}<br>right {escape(pairing.right_root)}<br>',
        escape(tally(pairing, Counter(o.state for o in outcomes))),
        f"<br>{_signature()}</p>",
        "<table><thead><tr><th>Left</th><th>Right</th><th>Status</th><th>Differences</th><th>Kinds</th>"
        "</tr></thead><tbody>",
    ]
    for o in outcomes:
        link = reports.get(o.pair)
        left = f'<a href="{escape(link)}">{escape(o.pair.left)}</a>' if link else escape(o.pair.left)
        if o.error:
            status, count, kinds = "trouble", "", f'<span class="trouble">{escape(o.error)}</span>'
        else:
            status = o.state
            count = f"{o.differences:,}"
            counts = Counter({DifferenceKind(k): n for k, n in o.summary.items()})
            kinds = " ".join(
                f'<span class="kc" title="{escape(KIND_LOOKS[kind].label)}">{_badge(kind)}{n:,}</span>'
                for kind, n in _ordered(counts)
            )
        parts.append(
            f"<tr><td>{left}</td><td>{escape(o.pair.right)}</td><td>{status}</td>"
            f'<td class="count">{count}</td><td>{kinds}</td></tr>'
        )
    for side, names in (("only left", pairing.only_left), ("only right", pairing.only_right)):
        for name in names:
            cells = (escape(name), "—") if side == "only left" else ("—", escape(name))
            row = f"<td>{cells[0]}</td><td>{cells[1]}</td><td>{side}</td><td></td><td></td>"
            parts.append(f'<tr class="alone">{row}</tr>')
    parts.append("</tbody></table></body></html>")
    return "\n".join(parts)
