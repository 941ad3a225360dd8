"""The folded form of a word used for matching: typography and ligatures compare equal."""

from __future__ import annotations

import unicodedata

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u2013": "-",
        "\u2014": "--",
        "\u2015": "--",
        "\u2026": "...",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)


_QUOTES = "'\"`"

# Symbols that plain-text editions spell out with ASCII.
_ASCII_SYMBOLS = {"(C)": "©", "(c)": "©", "(R)": "®", "(r)": "®", "(TM)": "™", "(tm)": "™"}


def fold(word: str, *, ignore_case: bool = False) -> str:
    """Matching key of a visible word: same key, same word for the reader."""
    word = _ASCII_SYMBOLS.get(word, word)
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word.translate(_TYPOGRAPHY))
        # NFKC turns some punctuation back into compatibility forms; translate once more.
        word = word.translate(_TYPOGRAPHY)
    if word[:1] in _QUOTES or word[-1:] in _QUOTES:
        # Editions quote differently ('show w' vs `show w'): quotes alone are typography.
        stripped = word.strip(_QUOTES)
        word = stripped or word
    if "--" in word:
        word = word.replace("---", "--")
    if ignore_case:
        word = word.casefold()
    return word
