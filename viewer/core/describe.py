"""Words for what a difference is where its kind alone does not say it: the styles that a
formatting difference has on one side and not on the other."""

from __future__ import annotations

from viewer.core.compare import Comparison
from viewer.core.document import BOLD, CODE, HEADING_STYLE, IMAGE, ITALIC, MATH
from viewer.core.model import DifferenceKind, Side

#: Each style as a reader names it, in the order they are named.
_STYLE_NAMES = (
    (HEADING_STYLE, "heading"),
    (BOLD, "bold"),
    (ITALIC, "italic"),
    (CODE, "code"),
    (MATH, "math"),
    (IMAGE, "image text"),
)


def named_styles(style: int) -> str:
    """ "bold", "bold and italic", "heading, bold and italic": a style's flags in words."""
    names = [name for flag, name in _STYLE_NAMES if style & flag]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def style_change(comparison: Comparison, difference_id: str, *, short: bool = False) -> str:
    """What a formatting difference changes: "bold on the left only", "italic on the left,
    bold on the right" (`short`: "bold, left only", "italic left, bold right"); "" for other
    kinds, and for a formatting difference with words on one side only (a heading's or an
    item's number)."""
    change = comparison.change(difference_id)
    (i1, i2), (j1, j2) = change.left_tokens, change.right_tokens
    if change.kind is not DifferenceKind.FORMATTING or i1 >= i2 or j1 >= j2:
        return ""
    # The tokens of a formatting difference share one style on each side (see classify).
    left = comparison.left.document.style_of[i1]
    right = comparison.right.document.style_of[j1]
    only_left, only_right = named_styles(left & ~right), named_styles(right & ~left)
    if only_left and only_right:
        if short:
            return f"{only_left} left, {only_right} right"
        return f"{only_left} on the left, {only_right} on the right"
    if only_left or only_right:
        side = "left" if only_left else "right"
        return f"{only_left or only_right}{', ' if short else ' on the '}{side} only"
    return ""


def shown_words(comparison: Comparison, difference_id: str, side: Side) -> str:
    """A difference's words on one side as a reader sees them, without the source's markup."""
    first, end = comparison.change(difference_id).tokens(side)
    return " ".join(comparison.variant(side).document.words[first:end])


__all__ = ["named_styles", "shown_words", "style_change"]
