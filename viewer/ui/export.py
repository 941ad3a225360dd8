"""Writing the canonical text to a file: format from the name or the filter, always atomic."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from viewer.core import DifferenceKind, write_atomic
from viewer.html_report import html_report
from viewer.ui.merge_session import MergeSession

FORMAT_FILTERS = {
    "md": "Markdown (*.md)",
    "txt": "Plain text (*.txt)",
    "json": "JSON with every decision (*.json)",
}
_SUFFIXES = {".md": "md", ".markdown": "md", ".txt": "txt", ".text": "txt", ".json": "json"}


def format_for(path: str, selected_filter: str = "") -> str:
    """The export format a path asks for (its suffix first, else the chosen filter)."""
    by_suffix = _SUFFIXES.get(Path(path).suffix.lower())
    if by_suffix:
        return by_suffix
    for fmt, label in FORMAT_FILTERS.items():
        if label == selected_filter:
            return fmt
    return "txt"


def with_suffix(path: str, fmt: str) -> str:
    """Add the format's suffix when the name has none of its own."""
    return path if Path(path).suffix.lower() in _SUFFIXES else f"{path}.{fmt}"


def suggested_name(session: MergeSession) -> str:
    stem = Path(session.comparison.left.name).stem or "canonical"
    return f"{stem}.canonical.{session.text_format}"


def ask_target(
    parent: QWidget, session: MergeSession, folder: str, name: str = "", fmt: str = ""
) -> tuple[str, str] | None:
    """Ask where to export and in which format (starting with `name` in `folder` and format
    `fmt`, or a name made from the left file's and the shown format): (path, format), or
    None if cancelled."""
    start = str(Path(folder) / (name or suggested_name(session)))
    path, selected = QFileDialog.getSaveFileName(
        parent,
        "Export the canonical text",
        start,
        ";;".join(FORMAT_FILTERS.values()),
        FORMAT_FILTERS[fmt or session.text_format],
    )
    if not path:
        return None
    fmt = format_for(path, selected)
    return with_suffix(path, fmt), fmt


def export_canonical(session: MergeSession, path: str, fmt: str) -> None:
    """Write the canonical text (txt, md) or the text with every decision (json); raises LoadError."""
    if fmt == "json":
        text = json.dumps(session.export_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = session.export_text(fmt)
        if not text.endswith("\n"):
            text += "\n"
    sources = [v.path for v in (session.comparison.left, session.comparison.right) if v.path]
    write_atomic(path, text, protect=sources)


def ask_report_target(parent: QWidget, session: MergeSession, folder: str) -> str | None:
    """Ask where to save the HTML report of the differences, or None if cancelled."""
    comparison = session.comparison
    stem = f"{Path(comparison.left.name).stem}-vs-{Path(comparison.right.name).stem}"
    path, _selected = QFileDialog.getSaveFileName(
        parent, "Export a report of the differences", str(Path(folder) / f"{stem}.html"), "HTML page (*.html)"
    )
    if not path:
        return None
    return path if Path(path).suffix.lower() in (".html", ".htm") else f"{path}.html"


def export_report(session: MergeSession, path: str, hidden: Collection[DifferenceKind]) -> None:
    """Write every shown difference, with context and its decision, as an HTML page; raises LoadError."""
    comparison = session.comparison
    decisions = {
        d.id: (session.decision(d.id), session.is_user_decided(d.id)) for d in comparison.differences
    }
    page = html_report(comparison, decisions=decisions, hidden=hidden)
    sources = [v.path for v in (comparison.left, comparison.right) if v.path]
    write_atomic(path, page, protect=sources)
