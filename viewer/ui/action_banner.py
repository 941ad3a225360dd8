"""An in-window message with buttons: a file changed on disk (Reload), unsaved work found (Restore)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QBoxLayout, QMainWindow, QPushButton, QWidget

from viewer.ui.message_banner import MessageBanner


class ActionBanner(MessageBanner):
    """A message banner that offers what to do about the message, and stays until answered."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.buttons: dict[str, QPushButton] = {}

    def show_message(self, text: str, level: str = "info", timeout_ms: int | None = 0) -> None:
        super().show_message(text, level, timeout_ms)
        # The base style names its own object; this banner has another name. The close button
        # takes the text colour too: the banner stays light in the dark theme.
        name = f"#{self.objectName()}"
        style = self.styleSheet().replace("#message_banner", name)
        self.setStyleSheet(style.replace(f"{name} QLabel {{", f"{name} QLabel, {name} QToolButton {{"))

    def offer(
        self,
        text: str,
        choices: Sequence[tuple[str, str, Callable[[], None]]],
        level: str = "info",
    ) -> None:
        """Show a message with (name, label, action) buttons; any button also closes the banner."""
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        layout = self.layout()
        assert isinstance(layout, QBoxLayout)
        for n, (name, label, action) in enumerate(choices):
            button = QPushButton(label, self)
            button.setObjectName(f"{self.objectName()}_{name}")
            button.setDefault(n == 0)
            button.clicked.connect(self.dismiss)
            button.clicked.connect(action)
            # Before the close button, which stays last.
            layout.insertWidget(layout.count() - 1, button)
            self.buttons[name] = button
        self.show_message(text, level)


def add_banner(window: QMainWindow, banner: MessageBanner) -> None:
    """Put a banner at the top of the window's central area, above the comparison."""
    central = window.centralWidget()
    layout = central.layout() if central is not None else None
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, banner)
