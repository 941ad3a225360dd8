"""Opening a comparison with decisions saved before: `variorum --decisions FILE LEFT RIGHT`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from viewer.core import match_decisions
from viewer.core.decisions import read_decisions
from viewer.ui.restore_prompt import describe_dropped, plural

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


def apply_on_open(window: MainWindow, path: str) -> None:
    """Apply a decisions file to the next comparison the window shows, as one undo step."""

    def apply() -> None:
        window.comparison_ready.disconnect(apply)
        session = window.session
        if session is None:
            return
        name = Path(path).name
        try:
            matched = match_decisions(session.comparison, read_decisions(path))
        except ValueError as exc:
            window.banner.show_message(f"Decisions not applied: {exc}", "error")
            return
        session.replace_state(matched.decisions, label=f"Decisions from {name}")
        message = f"{plural(len(matched.decisions), 'decision')} applied from {name}."
        if matched.dropped:
            n = len(matched.dropped)
            message += f" {plural(n, 'decision')} did not fit: {describe_dropped(matched.dropped)}."
        window.banner.show_message(message, "warning" if matched.dropped else "info")

    window.comparison_ready.connect(apply)
