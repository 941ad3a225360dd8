"""What the window remembers between sessions: view toggles, theme, geometry, splitter sizes."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from viewer.ui.actions import WindowActions

#: Checkable View actions and their defaults.
TOGGLES = {"word_wrap": True, "sync_scroll": True, "show_canonical": True, "show_panel": True}
DEFAULT_SIZE = (1440, 900)


def _flag(value: object, default: bool) -> bool:
    if value is None:
        return default
    return str(value).lower() not in ("false", "0")


def restore(
    settings: QSettings, window: QMainWindow, commands: WindowActions, splitters: dict[str, QSplitter]
) -> str:
    """Apply the saved state; returns the saved theme name."""
    for name, default in TOGGLES.items():
        commands[name].setChecked(_flag(settings.value(f"view/{name}"), default))
    theme = str(settings.value("view/theme", "system"))
    if theme not in commands.themes:
        theme = "system"
    commands.themes[theme].setChecked(True)
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    for name, splitter in splitters.items():
        state = settings.value(f"window/{name}")
        if isinstance(state, QByteArray):
            splitter.restoreState(state)
    return theme


def save(
    settings: QSettings, window: QMainWindow, commands: WindowActions, splitters: dict[str, QSplitter]
) -> None:
    for name in TOGGLES:
        settings.setValue(f"view/{name}", commands[name].isChecked())
    settings.setValue("window/geometry", window.saveGeometry())
    for name, splitter in splitters.items():
        settings.setValue(f"window/{name}", splitter.saveState())
    settings.sync()
