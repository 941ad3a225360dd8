"""A message shown inside the window (not a dialog): what went wrong with a drop, or what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

_LEVELS = {
    "info": ("#E8F1FA", "#0B3A5E", "#0072B2", QStyle.StandardPixmap.SP_MessageBoxInformation),
    "warning": ("#FDF1DE", "#5A3A00", "#E69F00", QStyle.StandardPixmap.SP_MessageBoxWarning),
    "error": ("#FBE6DC", "#5E1F00", "#D55E00", QStyle.StandardPixmap.SP_MessageBoxCritical),
}


class MessageBanner(QFrame):
    """One line with an icon and a close button; info messages go away by themselves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message_banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.icon = QLabel()
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss this message")
        close.clicked.connect(self.dismiss)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.level = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.hide()

    @property
    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def show_message(self, text: str, level: str = "info", timeout_ms: int | None = None) -> None:
        background, foreground, border, icon = _LEVELS[level]
        self.level = level
        self.setStyleSheet(
            f"#message_banner {{ background: {background}; border: 1px solid {border}; border-radius: 4px; }}"
            f" #message_banner QLabel {{ color: {foreground}; }}"
        )
        self.icon.setPixmap(self.style().standardIcon(icon).pixmap(18, 18))
        self.label.setText(text)
        self.show()
        if timeout_ms is None:
            timeout_ms = 8000 if level == "info" else 0
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()
