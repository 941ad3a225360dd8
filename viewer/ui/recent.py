"""The recent comparisons, remembered in QSettings between sessions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

KEY = "recent/comparisons"
LIMIT = 10


class RecentComparisons:
    """Pairs of paths, most recent first, without duplicates."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def pairs(self) -> list[tuple[str, str]]:
        raw = self._settings.value(KEY, "[]")
        try:
            data = json.loads(str(raw))
        except ValueError:
            return []
        return [(str(a), str(b)) for a, b in data if isinstance(a, str) and isinstance(b, str)][:LIMIT]

    def existing_pairs(self) -> list[tuple[str, str]]:
        """The pairs whose two files (or two folders) are still there."""
        return [
            (a, b)
            for a, b in self.pairs()
            if (Path(a).is_file() and Path(b).is_file()) or (Path(a).is_dir() and Path(b).is_dir())
        ]

    def add(self, left: str, right: str) -> None:
        pair = (str(Path(left).absolute()), str(Path(right).absolute()))
        pairs = [pair] + [p for p in self.pairs() if p != pair]
        self._settings.setValue(KEY, json.dumps(pairs[:LIMIT]))
        self._settings.sync()

    def clear(self) -> None:
        self._settings.remove(KEY)
        self._settings.sync()


def pair_label(left: str, right: str) -> str:
    """ "a.md ↔ b.txt", or "web/ ↔ pdf/" for two folders."""
    return " ↔ ".join(Path(p).name + ("/" if Path(p).is_dir() else "") for p in (left, right))


def fill_menu(menu: QMenu, pairs: list[tuple[str, str]], chosen: Callable[[str, str], None]) -> None:
    """List the pairs in a menu (File ▸ Open Recent); choosing one calls `chosen(left, right)`."""
    menu.clear()
    for left, right in pairs:
        action = menu.addAction(pair_label(left, right))
        action.setToolTip(f"{left}\n{right}")
        action.triggered.connect(lambda _checked=False, a=left, b=right: chosen(a, b))
    if menu.isEmpty():
        menu.addAction("No recent comparisons").setEnabled(False)
