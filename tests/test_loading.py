"""Reading variants: encodings, line endings and refusals, as a table."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from viewer.core import LoadError, load_variant
from viewer.core.loading import decode

RUSSIAN = "Министр иностранных дел России Сергей Лавров провёл переговоры в Пекине. " * 4
FRENCH = "Le ministre a déclaré que la coopération était « très étroite » à Pékin. " * 4
GERMAN_CP1252 = "Die Außenminister trafen sich in Peking – „eine Zusammenarbeit“, sagte er. " * 4


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


CASES: list[tuple[str, Callable[[Path], Path], str | None, str | None]] = [
    # id, make the file, expected error fragment (None: loads), expected text start
    ("missing", lambda t: t / "nope.txt", "no such file", None),
    ("directory", lambda t: t, "is a directory", None),
    ("binary", lambda t: _write(t, "x.bin", bytes(range(256)) * 4), "binary", None),
    ("nul-bytes", lambda t: _write(t, "nul.txt", b"hello\x00world"), "NUL", None),
    (
        "undecodable",
        lambda t: _write(t, "noise.dat", bytes((k * 37 + 11) % 255 + 1 for k in range(4096))),
        "binary",
        None,
    ),
    ("latin-1", lambda t: _write(t, "fr.txt", FRENCH.encode("latin-1")), None, "Le ministre a déclaré"),
    ("cp1251", lambda t: _write(t, "ru.txt", RUSSIAN.encode("cp1251")), None, "Министр иностранных"),
    ("cp1252", lambda t: _write(t, "de.txt", GERMAN_CP1252.encode("cp1252")), None, "Die Außenminister"),
    (
        "utf-16-bom",
        lambda t: _write(t, "u16.txt", "\ufeffHello – wörld\n".encode("utf-16-le")),
        None,
        "Hello",
    ),
    ("utf-8-bom", lambda t: _write(t, "u8.txt", "\ufeffHello\n".encode()), None, "Hello"),
    ("crlf", lambda t: _write(t, "crlf.txt", b"one\r\ntwo\r\n\r\nthree"), None, "one\ntwo\n\nthree"),
    ("cr", lambda t: _write(t, "cr.txt", b"one\rtwo"), None, "one\ntwo"),
    ("empty", lambda t: _write(t, "empty.txt", b""), None, ""),
    ("1mb-one-line", lambda t: _write(t, "long.txt", b"word " * 200_000), None, "word word"),
]


@pytest.mark.parametrize(("make", "error", "start"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_load_table(
    tmp_path: Path, make: Callable[[Path], Path], error: str | None, start: str | None
) -> None:
    path = make(tmp_path)
    if error is not None:
        with pytest.raises(LoadError, match=error) as info:
            load_variant(path)
        assert "\n" not in str(info.value)
        return
    variant = load_variant(path)
    assert start is not None
    assert variant.text.startswith(start)
    assert "\r" not in variant.text


def test_encoding_and_newline_are_remembered(tmp_path: Path) -> None:
    v = load_variant(_write(tmp_path, "a.txt", "\ufeffa\r\nb\r\n".encode("utf-16-le")))
    assert v.decoded.encoding_label == "UTF-16 with BOM"
    assert v.decoded.newline_label == "CRLF"
    v = load_variant(_write(tmp_path, "b.txt", RUSSIAN.encode("cp1251")))
    assert v.decoded.encoding_label == "CP1251"
    assert v.decoded.newline_label == "none"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "secret.txt", b"text")
    path.chmod(0)
    with pytest.raises(LoadError, match="permission denied"):
        load_variant(path)


def test_mixed_newlines_are_reported() -> None:
    decoded = decode(b"a\r\nb\nc")
    assert decoded.text == "a\nb\nc"
    assert decoded.newline_label == "mixed"


def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="not a regular file"):
        load_variant(fifo)
