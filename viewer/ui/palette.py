"""How each kind of difference looks: a colour-blind-safe hue, an underline style and a glyph."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPen, QPixmap, QTextCharFormat
from PySide6.QtWidgets import QApplication

from viewer.core.model import DifferenceKind
from viewer.look import KIND_LOOKS

_Under = QTextCharFormat.UnderlineStyle


@dataclass(frozen=True, slots=True)
class KindStyle:
    """The look of one kind: hue, underline (the cue that is not colour) and margin glyph."""

    kind: DifferenceKind
    hue: str
    underline: QTextCharFormat.UnderlineStyle
    glyph: str
    label: str

    def color(self) -> QColor:
        return QColor(self.hue)

    def fill(self, dark: bool, strong: bool = False) -> QColor:
        """The background tint for highlighted text; stronger for the current difference."""
        c = QColor(self.hue)
        if dark:
            c.setAlpha(150 if strong else 80)
        else:
            c.setAlpha(130 if strong else 60)
        return c


_UNDERLINES = {
    "content": _Under.SingleUnderline,
    "cosmetic": _Under.WaveUnderline,
    "furniture": _Under.DotLine,
}
KIND_STYLES: dict[DifferenceKind, KindStyle] = {
    kind: KindStyle(kind, look.hue, _UNDERLINES[look.family], look.glyph, look.label)
    for kind, look in KIND_LOOKS.items()
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the current palette is a dark one (light text on a dark base)."""
    if palette is None:
        app = QApplication.instance()
        palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def text_format(kind: DifferenceKind, dark: bool, current: bool = False) -> QTextCharFormat:
    """The character format that marks a difference of this kind in a pane."""
    style = KIND_STYLES[kind]
    fmt = QTextCharFormat()
    fmt.setBackground(style.fill(dark, strong=current))
    fmt.setUnderlineStyle(style.underline)
    fmt.setUnderlineColor(style.color())
    return fmt


def kind_icon(kind: DifferenceKind, size: int = 16) -> QIcon:
    """A legend swatch: the kind's hue with its glyph, legible on light and dark themes alike."""
    style = KIND_STYLES[kind]
    hue = style.color()
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(hue.darker(130), 1))
    painter.setBrush(hue)
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    font = QFont()
    font.setPixelSize(max(6, int(size * 0.72)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#000000") if hue.lightness() > 120 else QColor("#FFFFFF"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, style.glyph)
    painter.end()
    return QIcon(pixmap)
