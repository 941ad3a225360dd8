"""How each kind of difference is shown, without the toolkit: a colour-blind-safe hue, the
family its underline tells (content, cosmetic, page furniture), a glyph and a label. The
window's palette and the HTML report both draw from here."""

from __future__ import annotations

from dataclasses import dataclass

from viewer.core.model import DifferenceKind, Side

# Okabe-Ito colours: distinguishable under the common colour-vision deficiencies.
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#D4C20F"  # Okabe-Ito yellow, darkened so an underline stays visible on white
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"


@dataclass(frozen=True, slots=True)
class KindLook:
    kind: DifferenceKind
    hue: str
    #: "content" (underlined solid), "cosmetic" (wavy) or "furniture" (dotted).
    family: str
    glyph: str
    label: str


# The underline tells the family and the glyph the kind, so colour is never the only cue.
KIND_LOOKS: dict[DifferenceKind, KindLook] = {
    look.kind: look
    for look in (
        KindLook(DifferenceKind.WORDING, VERMILLION, "content", "W", "Wording"),
        KindLook(DifferenceKind.MOVED, PURPLE, "content", "⇄", "Moved"),
        KindLook(DifferenceKind.LINK, BLUE, "content", "L", "Link"),
        KindLook(DifferenceKind.CITATION, BLUE, "cosmetic", "†", "Citation"),
        KindLook(DifferenceKind.BREAK, SKY, "cosmetic", "¶", "Break"),
        KindLook(DifferenceKind.FORMATTING, YELLOW, "cosmetic", "*", "Formatting"),
        KindLook(DifferenceKind.TYPOGRAPHY, YELLOW, "cosmetic", "“", "Typography"),
        KindLook(DifferenceKind.TITLE, ORANGE, "furniture", "T", "Title"),
        KindLook(DifferenceKind.BYLINE, ORANGE, "furniture", "A", "Byline"),
        KindLook(DifferenceKind.DATE, ORANGE, "furniture", "D", "Date"),
        KindLook(DifferenceKind.CAPTION, GREEN, "furniture", "C", "Caption"),
        KindLook(DifferenceKind.FOOTER, GREEN, "furniture", "F", "Footer"),
        KindLook(DifferenceKind.BOILERPLATE, GREY, "furniture", "P", "Boilerplate"),
    )
}

#: Kinds in the order a reader meets them in the legend and the filter.
KIND_ORDER: tuple[DifferenceKind, ...] = tuple(KIND_LOOKS)

#: Colours that identify the two variants (the canonical pane's provenance margin).
SIDE_HUES: dict[Side | None, str] = {Side.LEFT: BLUE, Side.RIGHT: ORANGE, None: GREY}
