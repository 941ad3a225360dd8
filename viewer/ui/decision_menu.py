"""The panes' context menu: their own (Copy, Select All…) and, on a difference, the decisions.

A right-click on a difference first makes it the current one, so that Take Left, Take Right,
Both, Neither and All of Kind (the window's own actions, with their shortcuts) apply to it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from viewer.core.model import DifferenceKind
from viewer.ui.palette import KIND_STYLES


def pane_menu(
    view: QPlainTextEdit, pos: QPoint, on: tuple[str, DifferenceKind] | None, actions: list[QAction]
) -> QMenu:
    """The menu for a right-click at viewport position `pos`; `on` is the difference there
    (its id and kind), already made the current one."""
    menu = view.createStandardContextMenu(pos)
    if on is None or not actions:
        return menu
    own = menu.actions()
    difference_id, kind = on
    title = f"{KIND_STYLES[kind].label} {difference_id}"
    if not own:
        menu.addSection(title)
        menu.addActions(actions)
        return menu
    menu.insertSection(own[0], title)
    menu.insertActions(own[0], actions)
    menu.insertSeparator(own[0])
    return menu
