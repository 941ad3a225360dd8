"""Light and dark themes: the Fusion style with an explicit palette, so both look the same everywhere."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")

_DARK = {
    QPalette.ColorRole.Window: "#2B2D30",
    QPalette.ColorRole.WindowText: "#DFE1E5",
    QPalette.ColorRole.Base: "#1E1F22",
    QPalette.ColorRole.AlternateBase: "#26282B",
    QPalette.ColorRole.ToolTipBase: "#3C3F41",
    QPalette.ColorRole.ToolTipText: "#DFE1E5",
    QPalette.ColorRole.PlaceholderText: "#8C8F94",
    QPalette.ColorRole.Text: "#DFE1E5",
    QPalette.ColorRole.Button: "#36383C",
    QPalette.ColorRole.ButtonText: "#DFE1E5",
    QPalette.ColorRole.BrightText: "#FFFFFF",
    QPalette.ColorRole.Light: "#45484D",
    QPalette.ColorRole.Midlight: "#3C3F43",
    QPalette.ColorRole.Mid: "#5A5D63",
    QPalette.ColorRole.Dark: "#1A1B1D",
    QPalette.ColorRole.Shadow: "#000000",
    QPalette.ColorRole.Highlight: "#2F65CA",
    QPalette.ColorRole.HighlightedText: "#FFFFFF",
    QPalette.ColorRole.Link: "#56B4E9",
}

_LIGHT = {
    QPalette.ColorRole.Window: "#EFEFEF",
    QPalette.ColorRole.WindowText: "#1D1D1D",
    QPalette.ColorRole.Base: "#FFFFFF",
    QPalette.ColorRole.AlternateBase: "#F5F5F5",
    QPalette.ColorRole.ToolTipBase: "#FFFFDC",
    QPalette.ColorRole.ToolTipText: "#1D1D1D",
    QPalette.ColorRole.PlaceholderText: "#7F7F7F",
    QPalette.ColorRole.Text: "#1D1D1D",
    QPalette.ColorRole.Button: "#EFEFEF",
    QPalette.ColorRole.ButtonText: "#1D1D1D",
    QPalette.ColorRole.BrightText: "#FFFFFF",
    QPalette.ColorRole.Light: "#FFFFFF",
    QPalette.ColorRole.Midlight: "#CACACA",
    QPalette.ColorRole.Mid: "#B8B8B8",
    QPalette.ColorRole.Dark: "#9F9F9F",
    QPalette.ColorRole.Shadow: "#767676",
    QPalette.ColorRole.Highlight: "#3074D0",
    QPalette.ColorRole.HighlightedText: "#FFFFFF",
    QPalette.ColorRole.Link: "#0072B2",
}


def palette_for(theme: str) -> QPalette:
    palette = QPalette()
    for role, color in (_DARK if theme == "dark" else _LIGHT).items():
        palette.setColor(role, QColor(color))
    disabled = QColor("#7A7D82") if theme == "dark" else QColor("#8A8A8A")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Use a theme; "system" keeps the platform's style and colours."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}: use {', '.join(THEMES)}")
    if theme == "system":
        return
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    app.setPalette(palette_for(theme))
