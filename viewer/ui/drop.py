"""Making sense of what was dropped on the window: local files to compare, or a clear reason why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl

_SNIFF = 8192
# Text in these encodings has NUL bytes but is still text; PDFs are extracted by the engine.
_TEXT_SIGNATURES = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"%PDF")


@dataclass(frozen=True, slots=True)
class DropOutcome:
    """The files a drop names, or the one-line problem to show instead."""

    paths: list[str] = field(default_factory=list)
    problem: str | None = None


def _urls(mime: QMimeData) -> list[QUrl]:
    if mime.hasUrls():
        return list(mime.urls())
    # Some sources send paths or file URLs as plain text only.
    if mime.hasText():
        lines = [line.strip() for line in mime.text().splitlines() if line.strip()]
        if lines and all(line.startswith(("file:", "/")) for line in lines):
            return [QUrl(line) if line.startswith("file:") else QUrl.fromLocalFile(line) for line in lines]
    return []


def looks_binary(path: Path) -> bool:
    """A quick look at the first bytes: NUL bytes mean binary, unless a text signature says otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF)
    except OSError:
        return False  # the loader reports unreadable files with its own message
    return b"\x00" in head and not head.startswith(_TEXT_SIGNATURES)


def can_accept(mime: QMimeData) -> bool:
    """Whether a drag carries anything that looks like files (checked fully on drop)."""
    return bool(_urls(mime))


def classify_drop(mime: QMimeData, limit: int = 2) -> DropOutcome:
    """The dropped local files (or two folders), or why they cannot be compared."""
    urls = _urls(mime)
    if not urls:
        return DropOutcome(
            problem="Only files can be dropped here: drag one or two files from a file manager."
        )
    if len(urls) > limit:
        return DropOutcome(
            problem=f"{len(urls)} items were dropped: drop {'one file' if limit == 1 else 'two files'}."
        )
    paths = []
    for url in urls:
        if not url.isLocalFile():
            shown = url.toDisplayString()
            return DropOutcome(
                problem=f"{shown} is not a file on this computer: download it first, then drop it."
            )
        path = Path(url.toLocalFile())
        if path.is_dir():
            paths.append(str(path))
            continue
        if not path.exists():
            return DropOutcome(problem=f"{path}: no such file.")
        if looks_binary(path):
            return DropOutcome(
                problem=f"{path.name} is a binary file, not text: drop text, Markdown, HTML or PDF."
            )
        paths.append(str(path))
    folders = [p for p in paths if Path(p).is_dir()]
    if folders and (len(folders) != 2 or limit < 2):
        name = Path(folders[0]).name or folders[0]
        if limit < 2:
            return DropOutcome(problem=f"{name} is a folder: drop a file here.")
        other = "one folder" if len(paths) == 1 else "a folder and a file"
        return DropOutcome(
            problem=f"{other.capitalize()} was dropped: drop two folders to compare their files pair by pair,"
            " or two files."
        )
    return DropOutcome(paths=paths)
