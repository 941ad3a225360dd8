"""Right-click in a pane: on a difference, its decisions above the pane's own Copy and Select All."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from viewer.core import Choice, Side
from viewer.ui.main_window import MainWindow


def point_at(view: QPlainTextEdit, position: int) -> QPoint:
    """The viewport point of a Qt position (brought into view first)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 2, rect.center().y())


def labels(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator() or a.text()]


def test_a_right_click_on_a_difference_offers_its_decisions(opened: MainWindow) -> None:
    assert opened.session is not None
    right = opened.view.right_view
    prepared = opened.view.prepared
    assert prepared is not None
    placed = next(p for p in prepared.spans[Side.RIGHT].overlapping(0, 10**9) if p.end > p.start)
    d = placed.difference
    assert opened.view.current_id != d.id
    menu = right.context_menu(point_at(right, placed.start + 1))
    assert opened.view.current_id == d.id  # the decisions apply to it
    shown = labels(menu)
    assert shown[0].endswith(d.id)
    for wanted in ("Take Left", "Take Right", "Keep Both", "Copy", "Select All"):
        assert any(label.startswith(wanted) for label in shown), (wanted, shown)
    assert opened.session.decision(d.id).choice is not Choice.BOTH
    both = next(a for a in menu.actions() if a.text().replace("&", "").startswith("Keep Both"))
    both.trigger()
    assert opened.session.decision(d.id).choice is Choice.BOTH
    assert opened.session.is_user_decided(d.id)


def test_elsewhere_the_pane_s_own_menu_only(opened: MainWindow) -> None:
    left = opened.view.left_view
    prepared = opened.view.prepared
    assert prepared is not None
    covered = {k for p in prepared.spans[Side.LEFT].overlapping(0, 10**9) for k in range(p.start, p.end + 1)}
    free = next(k for k in range(len(left.toPlainText())) if k not in covered and k - 1 not in covered)
    before = opened.view.current_id
    shown = labels(left.context_menu(point_at(left, free)))
    assert not any(label.startswith("Take") for label in shown)
    assert any(label.startswith("Copy") for label in shown)
    assert opened.view.current_id == before


def test_a_right_click_in_the_merged_text_decides_the_stretch_under_it(opened: MainWindow) -> None:
    session = opened.session
    assert session is not None
    canonical = opened.view.canonical
    decided = next(
        s for s in session.segments_between(0, len(session.text)) if s.difference_id and s.end > s.start
    )
    menu = canonical.context_menu(point_at(canonical, canonical._index.to_qt(decided.start)))
    assert opened.view.current_id == decided.difference_id
    assert labels(menu)[0].endswith(str(decided.difference_id))
    neither = next(a for a in menu.actions() if a.text().replace("&", "").startswith("Keep Neither"))
    neither.trigger()
    assert session.decision(str(decided.difference_id)).choice is Choice.NEITHER
