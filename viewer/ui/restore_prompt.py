"""The words of the restore prompt and of what a restore or a reload brought back."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from viewer.core import DifferenceKind
from viewer.core.session_store import AutosaveRecord
from viewer.ui.palette import KIND_STYLES

#: Dropped decisions listed by name in a message; the rest are counted.
LISTED = 4


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a restore brought back, and what it could not."""

    decisions: int
    dropped: tuple[dict[str, Any], ...]
    hand_edits: bool
    #: Whether decisions and hand edits gave back the saved text by themselves.
    exact: bool


def when(saved_at: float, now: float | None = None) -> str:
    """A moment as people say it: "at 14:32" today, "on 3 May at 14:32" before."""
    moment = datetime.fromtimestamp(saved_at)
    today = datetime.fromtimestamp(time.time() if now is None else now).date()
    clock = moment.strftime("%H:%M")
    if moment.date() == today:
        return f"at {clock}"
    return f"on {moment.day} {moment.strftime('%B')} {moment.year} at {clock}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe_record(record: AutosaveRecord) -> str:
    """The prompt: whose work, from when, and how much of it."""
    parts = []
    if record.decision_count:
        parts.append(plural(record.decision_count, "decision"))
    if record.patches:
        parts.append("hand edits in the canonical text")
    work = " and ".join(parts) or "changed merge settings"
    return (
        f"Unsaved work on these two files was kept {when(record.saved_at)}: {work}. "
        "Restore it, or discard it for good?"
    )


def _quote(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return f"“{text[: limit - 1]}…”" if len(text) > limit else f"“{text}”"


def describe_dropped(entries: Sequence[Mapping[str, Any]]) -> str:
    """Decisions that no longer apply, by kind and text, the first few by name."""
    items = []
    for entry in entries[:LISTED]:
        try:
            label = KIND_STYLES[DifferenceKind(str(entry.get("kind")))].label.lower()
        except ValueError:
            label = str(entry.get("kind", "difference"))
        left, right = str(entry.get("left", "")), str(entry.get("right", ""))
        shown = " / ".join(_quote(t) for t in (left, right) if t) or "(empty)"
        items.append(f"{label} {shown}")
    more = len(entries) - LISTED
    return "; ".join(items) + (f"; and {more} more" if more > 0 else "")


def describe_restore(result: RestoreResult, record: AutosaveRecord) -> str:
    """What the restore did, for the message line."""
    text = f"Restored {plural(result.decisions, 'decision')} kept {when(record.saved_at)}"
    if not result.exact:
        text += "; the merged text now comes out differently, so your text is kept as one hand edit"
    elif result.hand_edits:
        text += " with your hand edits"
    text += "."
    if result.dropped:
        n = len(result.dropped)
        text += f" {plural(n, 'decision')} no longer applied: {describe_dropped(result.dropped)}."
    return text + " Edit ▸ Undo takes the restore back."
