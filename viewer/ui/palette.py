"""How each kind of difference looks: a colour-blind-safe hue, an underline style and a glyph."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPen, QPixmap, QTextCharFormat
from PySide6.QtWidgets import QApplication

from viewer.core.model import DifferenceKind, Side

# Okabe-Ito colours: distinguishable under the common colour-vision deficiencies.
_ORANGE = "#E69F00"
_SKY = "#56B4E9"
_GREEN = "#009E73"
_YELLOW = "#D4C20F"  # Okabe-Ito yellow, darkened so an underline stays visible on white
_BLUE = "#0072B2"
_VERMILLION = "#D55E00"
_PURPLE = "#CC79A7"
_GREY = "#8C8C8C"

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


# Content changes underline solid, page furniture dotted, cosmetic changes wavy:
# the underline tells the family and the glyph the kind, so colour is never the only cue.
KIND_STYLES: dict[DifferenceKind, KindStyle] = {
    s.kind: s
    for s in (
        KindStyle(DifferenceKind.WORDING, _VERMILLION, _Under.SingleUnderline, "W", "Wording"),
        KindStyle(DifferenceKind.MOVED, _PURPLE, _Under.SingleUnderline, "⇄", "Moved"),
        KindStyle(DifferenceKind.LINK, _BLUE, _Under.SingleUnderline, "L", "Link"),
        KindStyle(DifferenceKind.BREAK, _SKY, _Under.WaveUnderline, "¶", "Break"),
        KindStyle(DifferenceKind.FORMATTING, _YELLOW, _Under.WaveUnderline, "*", "Formatting"),
        KindStyle(DifferenceKind.TYPOGRAPHY, _YELLOW, _Under.WaveUnderline, "“", "Typography"),
        KindStyle(DifferenceKind.TITLE, _ORANGE, _Under.DotLine, "T", "Title"),
        KindStyle(DifferenceKind.BYLINE, _ORANGE, _Under.DotLine, "A", "Byline"),
        KindStyle(DifferenceKind.DATE, _ORANGE, _Under.DotLine, "D", "Date"),
        KindStyle(DifferenceKind.CAPTION, _GREEN, _Under.DotLine, "C", "Caption"),
        KindStyle(DifferenceKind.FOOTER, _GREEN, _Under.DotLine, "F", "Footer"),
        KindStyle(DifferenceKind.BOILERPLATE, _GREY, _Under.DotLine, "P", "Boilerplate"),
    )
}

#: Kinds in the order a reader meets them in the legend and the filter.
KIND_ORDER: tuple[DifferenceKind, ...] = tuple(KIND_STYLES)

#: Colours that identify the two variants in the canonical pane's provenance margin.
SIDE_HUES: dict[Side | None, str] = {Side.LEFT: _BLUE, Side.RIGHT: _ORANGE, None: _GREY}


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
