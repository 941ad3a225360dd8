"""Reading a variant from disk: encoding detection and line-ending normalization."""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)

#: Files larger than this are refused rather than read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024


class LoadError(Exception):
    """A file that cannot be used as a variant; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class DecodedText:
    """A file's text with ``\\n`` line endings, and how it was stored."""

    text: str
    encoding: str
    bom: bool
    newline: str

    @property
    def encoding_label(self) -> str:
        label = self.encoding.upper().replace("_", "-")
        return f"{label} with BOM" if self.bom else label

    @property
    def newline_label(self) -> str:
        return {"\n": "LF", "\r\n": "CRLF", "\r": "CR", "": "none", "mixed": "mixed"}.get(
            self.newline, self.newline
        )


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a file for comparison, turning every OS failure into a LoadError."""
    p = Path(path)
    if not p.exists():
        raise LoadError(f"{p}: no such file")
    if p.is_dir():
        raise LoadError(f"{p}: is a directory, not a file")
    if not p.is_file():
        raise LoadError(f"{p}: not a regular file")
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(f"{p}: too large ({size // (1024 * 1024)} MB; the limit is 256 MB)")
        return p.read_bytes()
    except PermissionError:
        raise LoadError(f"{p}: permission denied") from None
    except OSError as exc:
        raise LoadError(f"{p}: cannot be read ({exc.strerror or exc})") from None


def decode(data: bytes, name: str = "input") -> DecodedText:
    """Decode bytes to text, detecting the encoding; refuse binary content."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                raw = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise LoadError(f"{name}: not valid {label} despite its byte-order mark") from None
            return _normalize_newlines(raw, codec.replace("-le", "").replace("-be", ""), True)
    if b"\x00" in data:
        raise LoadError(f"{name}: binary file (contains NUL bytes), not text")
    try:
        return _normalize_newlines(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        pass
    match = _detect(data)
    if match is None:
        raise LoadError(f"{name}: binary file or unknown text encoding")
    encoding, text = match
    return _normalize_newlines(text, encoding, False)


def _detect(data: bytes) -> tuple[str, str] | None:
    """Best legacy single- or multi-byte encoding for data that is not UTF-8."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    text = str(best)
    if _looks_binary(text):
        return None
    return best.encoding, text


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls / len(text) > 0.01


def _normalize_newlines(raw: str, encoding: str, bom: bool) -> DecodedText:
    crlf = raw.count("\r\n")
    cr = raw.count("\r") - crlf
    lf = raw.count("\n") - crlf
    kinds = [nl for nl, n in (("\r\n", crlf), ("\r", cr), ("\n", lf)) if n]
    newline = kinds[0] if len(kinds) == 1 else ("" if not kinds else "mixed")
    if crlf or cr:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return DecodedText(raw, encoding, bom, newline)


def load_text(path: str | os.PathLike[str]) -> DecodedText:
    """Read and decode a text file."""
    return decode(read_bytes(path), str(path))
