"""What an empty window shows: how to start, the recent comparisons, and a place to drop files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.ui.recent import pair_label

PAIR_ROLE = Qt.ItemDataRole.UserRole + 1


class WelcomeView(QWidget):
    """Open two files, reopen a recent comparison, or drop files on the dashed box."""

    recent_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome_view")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 30, 40, 30)
        column = QVBoxLayout()
        column.setSpacing(12)
        title = QLabel("Compare two variants of one document")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "For example a web article saved as Markdown and the same article extracted from a PDF. "
            "Variorum shows every difference by kind (wording, links, captions, paragraph breaks…), "
            "and lets you merge the two into one canonical text."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QHBoxLayout()
        self.drop_zone = QLabel(
            "Drop two files here to compare them, or two folders to compare their files\n"
            "(or one file on each side once a comparison is open)"
        )
        self.drop_zone.setObjectName("drop_zone")
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_zone.setMinimumHeight(110)
        self.drop_zone.setTextFormat(Qt.TextFormat.PlainText)
        self.drop_zone.setStyleSheet(
            "#drop_zone { border: 2px dashed palette(mid); border-radius: 8px; padding: 12px; }"
        )
        recent_title = QLabel("<b>Recent comparisons</b>")
        self.recent = QListWidget(self)
        self.recent.setObjectName("recent_list")
        self.recent.setMaximumHeight(220)
        self.recent.itemActivated.connect(self._on_activated)
        self.recent_empty = QLabel("None yet: comparisons you open are listed here.")
        self.recent_empty.setEnabled(False)
        column.addWidget(title)
        column.addWidget(intro)
        column.addLayout(self.buttons)
        column.addWidget(self.drop_zone)
        column.addSpacing(10)
        column.addWidget(recent_title)
        column.addWidget(self.recent)
        column.addWidget(self.recent_empty)
        frame = QFrame(self)
        frame.setLayout(column)
        # A fixed width lets the wrapped labels know their height (no overlap in the column).
        frame.setFixedWidth(680)
        outer.addStretch(1)
        outer.addWidget(frame, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def add_action_button(self, action: QAction, primary: bool = False) -> QPushButton:
        button = QPushButton(action.icon(), action.text().replace("&", ""), self)
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        button.setDefault(primary)
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)

    def set_recent(self, pairs: list[tuple[str, str]]) -> None:
        self.recent.clear()
        for left, right in pairs:
            item = QListWidgetItem(pair_label(left, right).replace(" ↔ ", "  ↔  "))
            item.setToolTip(f"{left}\n{right}")
            item.setData(PAIR_ROLE, (left, right))
            self.recent.addItem(item)
        self.recent.setVisible(bool(pairs))
        self.recent_empty.setVisible(not pairs)

    def set_pending(self, left: str | None) -> None:
        """Show that one file is waiting for its partner."""
        if left:
            self.drop_zone.setText(f"Left: {Path(left).name}\nNow drop the right-hand file here, or open it.")
        else:
            self.drop_zone.setText(
                "Drop two files here to compare them, or two folders to compare their files\n"
                "(or one file on each side once a comparison is open)"
            )

    def _on_activated(self, item: QListWidgetItem) -> None:
        left, right = item.data(PAIR_ROLE)
        self.recent_chosen.emit(left, right)
