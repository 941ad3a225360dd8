"""The title row above a pane: a badge, the name, a detail line and the pane's own buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget


class PaneHeader(QWidget):
    """Badge, bold name, grey detail; every text is plain (file names are never markup)."""

    def __init__(self, badge: str, hue: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(6)
        self.badge = QLabel(badge)
        self.badge.setTextFormat(Qt.TextFormat.PlainText)
        color = QColor(hue)
        self.badge.setStyleSheet(
            f"QLabel {{ background: {color.name()}; color: white; border-radius: 3px;"
            " padding: 1px 6px; font-weight: bold; }"
        )
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setForegroundRole(self.detail.foregroundRole())
        self.detail.setEnabled(False)  # drawn in the disabled (grey) colour: secondary information
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.badge)
        layout.addWidget(self.title)
        layout.addWidget(self.detail, 1)
        self._layout = layout

    def set_text(self, title: str, detail: str = "", tooltip: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.title.setToolTip(tooltip)
        self.detail.setToolTip(tooltip)

    def add_action(self, action: QAction) -> QToolButton:
        """A small button for an action of this pane (e.g. open another file on this side)."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._layout.addWidget(button)
        return button
