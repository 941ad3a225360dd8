"""Find text in a pane: the bar below the comparison, searching the pane that last had the focus."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import islice

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from viewer.ui.text_offsets import Utf16Index

#: Matches listed at most: past this the bar says "100,000+", and going on from the last of
#: them starts again at the top (a one-letter search of a long text would otherwise list
#: hundreds of thousands, at every key typed).
COUNT_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class _Matches:
    """Where a search matches in one state of one document, in Qt positions (UTF-16)."""

    key: tuple[object, ...]
    starts: list[int]
    ends: list[int]
    complete: bool


class FindBar(QWidget):
    """A search field with previous / next, match case and a count; Esc closes it.

    Searches the text of the pane that last had the keyboard focus among `targets` (the first
    one until then), from the current selection on, wrapping at the ends. The match is
    selected in the pane and scrolled into view; the others in view are outlined (a pane
    with `find_marks` draws them) until the bar closes.
    """

    def __init__(self, targets: list[QPlainTextEdit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.targets = list(targets)
        self.target = self.targets[0]
        self._matches: _Matches | None = None
        self._text_key: tuple[object, ...] = ()
        self._text_and_index: tuple[str, Utf16Index] = ("", Utf16Index(""))
        self._lowered_of: str | None = None
        self._lowered_text: str | None = None

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(6)
        self.label = QLabel("Find:", self)
        self.field = _FindField(self)
        self.field.setObjectName("find_field")
        self.field.setClearButtonEnabled(True)
        self.field.setPlaceholderText("text in the pane last clicked")
        self.label.setBuddy(self.field)
        self.previous_button = self._button("▲", "Previous match (Shift+F3, Shift+Enter)")
        self.next_button = self._button("▼", "Next match (F3, Enter)")
        self.match_case = QCheckBox("Match &case", self)
        self.status = QLabel(self)
        self.status.setObjectName("find_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        widest = "100,000 of 100,000+ in the right pane, from the top"
        self.status.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest))
        close = self._button("✕", "Close the find bar (Esc)")
        for widget in (self.label, self.field, self.previous_button, self.next_button, self.match_case):
            layout.addWidget(widget)
        layout.addWidget(self.status, 1)
        layout.addWidget(close)

        self.field.textEdited.connect(lambda _text: self.search(incremental=True))
        self.field.returnPressed.connect(lambda: self.search())
        self.field.shift_return_pressed.connect(lambda: self.search(backward=True))
        self.field.escape_pressed.connect(self.close_bar)
        self.previous_button.clicked.connect(lambda: self.search(backward=True))
        self.next_button.clicked.connect(lambda: self.search())
        self.match_case.toggled.connect(lambda _on: self.search(incremental=True))
        close.clicked.connect(self.close_bar)
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        self.hide()

    def _button(self, glyph: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(glyph)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        for target in self.targets:
            if new is not None and (new is target or target.isAncestorOf(new)):
                if target is not self.target:
                    self._mark(None)
                    self.target = target
                    self._matches = None
                return

    # -- opening and closing ----------------------------------------------------------------

    def open_bar(self) -> None:
        """Show the bar with the field focused, holding the pane's selection when there is one."""
        selected = self.target.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text():
            self._show_count(self._current_match())
            self._mark(self._find_all(self.field.text()))

    def close_bar(self) -> None:
        self._mark(None)
        self.hide()
        self.target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _mark(self, matches: _Matches | None) -> None:
        """Outline these matches in the target pane (none: take the outlines away)."""
        marks = getattr(self.target, "find_marks", None)
        if marks is None:
            return
        if matches is None or not matches.starts:
            marks.clear()
        else:
            marks.set(matches.starts, matches.ends)

    # -- searching ------------------------------------------------------------------------

    def search(self, *, backward: bool = False, incremental: bool = False) -> bool:
        """Select the next (or previous) match in the target pane; True when there was one.

        Typing searches again from where the current selection starts, so that a longer
        text stays in the same place while it still matches there."""
        if not self.isVisible():
            self.open_bar()
        needle = self.field.text()
        if not needle:
            self.status.setText("")
            self._set_failed(False)
            self._mark(None)
            return False
        matches = self._find_all(needle)
        self._mark(matches)
        if not matches.starts:
            self.status.setText(f"Not found in the {self._pane_name()}")
            self._set_failed(True)
            return False
        self._set_failed(False)
        at, on_match = self._place(matches)
        if incremental:
            k = at
        elif backward:
            k = at - 1
        else:
            k = at + 1 if on_match else at
        wrapped = not 0 <= k < len(matches.starts)
        k %= len(matches.starts)
        self._select(matches.starts[k], matches.ends[k])
        self._show_count(k, wrapped=wrapped and not incremental, backward=backward)
        return True

    def _select(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.target.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.target.setTextCursor(cursor)
        self.target.centerCursor()

    def _place(self, matches: _Matches) -> tuple[int, bool]:
        """Where the target's selection stands among the matches: the first match starting at or
        after it, and whether the selection is that match."""
        cursor = self.target.textCursor()
        at = bisect_left(matches.starts, cursor.selectionStart())
        on_match = at < len(matches.starts) and (matches.starts[at], matches.ends[at]) == (
            cursor.selectionStart(),
            cursor.selectionEnd(),
        )
        return at, on_match

    def _current_match(self) -> int | None:
        """Which match the target's selection is, if it is one."""
        at, on_match = self._place(self._find_all(self.field.text()))
        return at if on_match else None

    def _show_count(self, k: int | None, *, wrapped: bool = False, backward: bool = False) -> None:
        matches = self._find_all(self.field.text())
        n = len(matches.starts)
        where = f"in the {self._pane_name()}"
        if not n:
            self.status.setText(f"Not found {where}")
            return
        total = f"{n:,}" if matches.complete else f"{n:,}+"
        text = f"{k + 1:,} of {total} {where}" if k is not None else f"{total} matches {where}"
        if wrapped:
            text += ", from the end" if backward else ", from the top"
        self.status.setText(text)

    def _find_all(self, needle: str) -> _Matches:
        """The matches of the needle in the target's text (the first COUNT_LIMIT of them), kept
        while neither the text, the needle nor the case setting changes."""
        case = self.match_case.isChecked()
        key = (*self._document_key(), needle, case)
        if self._matches is not None and self._matches.key == key:
            return self._matches
        starts: list[int] = []
        ends: list[int] = []
        complete = True
        if needle:
            text, index = self._text()
            searched, flags = needle, 0
            if not case:
                # A search that ignores case is many times slower than one for a fixed string:
                # where lower case keeps every character one character, that is searched.
                lowered = self._lowered(text)
                if lowered is not None:
                    text, searched = lowered, needle.lower()
                else:
                    flags = re.IGNORECASE
            pattern = re.compile(re.escape(searched), flags)
            found = [m.start() for m in islice(pattern.finditer(text), COUNT_LIMIT + 1)]
            complete = len(found) <= COUNT_LIMIT
            del found[COUNT_LIMIT:]
            # Every match is as long as what is searched: it matches character for character.
            length = len(searched)
            if index.is_identity:
                starts, ends = found, [start + length for start in found]
            else:
                starts = [index.to_qt(start) for start in found]
                ends = [index.to_qt(start + length) for start in found]
        self._matches = _Matches(key, starts, ends, complete)
        return self._matches

    def _document_key(self) -> tuple[object, ...]:
        """What tells one state of the target's text from another (a document made after
        another was deleted may have its address, hardly also its revision and length)."""
        document = self.target.document()
        return (id(self.target), id(document), document.revision(), document.characterCount())

    def _text(self) -> tuple[str, Utf16Index]:
        """The target's text and its offset conversion, kept while the text stays the same (a
        long text takes tens of milliseconds to copy out of its document)."""
        key = self._document_key()
        if self._text_key != key:
            # One character for one: toPlainText turns line and paragraph ends into \n.
            text = self.target.document().toPlainText()
            self._text_key, self._text_and_index = key, (text, Utf16Index(text))
        return self._text_and_index

    def _lowered(self, text: str) -> str | None:
        """The text in lower case, when that changes no character into several (kept as the text is)."""
        if self._lowered_of is not text:
            lowered = text.lower()
            self._lowered_of, self._lowered_text = text, lowered if len(lowered) == len(text) else None
        return self._lowered_text

    def _pane_name(self) -> str:
        return {"left_view": "left pane", "right_view": "right pane"}.get(
            self.target.objectName(), "merged text"
        )

    def _set_failed(self, failed: bool) -> None:
        self.field.setStyleSheet("QLineEdit { background: #f6d5d5; color: black; }" if failed else "")


class _FindField(QLineEdit):
    """The search field: Enter and Shift+Enter search, Esc closes (before the window's Esc,
    which cancels a running comparison, can take it)."""

    shift_return_pressed = Signal()
    escape_pressed = Signal()

    def event(self, event: QEvent) -> bool:
        overridden = event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
        if overridden and event.key() == Qt.Key.Key_Escape:  # type: ignore[attr-defined]
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.shift_return_pressed.emit()
            return
        super().keyPressEvent(event)
