"""Converting the engine's Python string offsets to the UTF-16 positions Qt uses, and back."""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

import numpy as np
import numpy.typing as npt


class Utf16Index:
    """Offset conversion for one text: characters outside the BMP count twice in Qt."""

    __slots__ = ("_astral", "_astral16", "length", "length16")

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # Fast path: most texts have no astral character, and then both offsets agree.
        if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
            self._astral = array("q")
        else:
            self._astral = array("q", (i for i, ch in enumerate(text) if ord(ch) > 0xFFFF))
        self._astral16 = array("q", (p + k for k, p in enumerate(self._astral)))
        self.length16 = self.length + len(self._astral)

    @property
    def is_identity(self) -> bool:
        return not self._astral

    def to_qt(self, offset: int) -> int:
        """The UTF-16 position of a Python offset."""
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def to_qt_array(self, offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The UTF-16 positions of many Python offsets at once."""
        if not self._astral:
            return offsets
        astral = np.frombuffer(self._astral, dtype=np.int64)
        return offsets + np.searchsorted(astral, offsets, side="left")

    def from_qt(self, position: int) -> int:
        """The Python offset of a UTF-16 position (the middle of a surrogate pair rounds down)."""
        if not self._astral:
            return position
        # Every astral character starting before `position` took one extra unit; a position
        # inside a pair (its start + 1) counts that character's extra unit and so rounds down.
        return position - bisect_right(self._astral16, position - 1)
