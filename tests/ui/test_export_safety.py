"""The window's export replaces a file whole (write, then rename) and never touches a source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.helpers import PDF, WEB
from viewer.ui.main_window import MainWindow


def test_export_writes_a_new_file_and_renames_it_over_the_old(opened: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "merged.md"
    target.write_text("the previous export\n", encoding="utf-8")
    witness = folder / "witness.md"
    os.link(target, witness)  # a second name for the old file: an in-place write would change it too
    assert opened.exports.canonical_to(str(target))
    assert witness.read_text(encoding="utf-8") == "the previous export\n"
    assert opened.session is not None
    assert target.read_text(encoding="utf-8") == opened.session.text + "\n"
    assert sorted(p.name for p in folder.iterdir()) == ["merged.md", "witness.md"]


@pytest.mark.parametrize("source", [WEB, PDF])
def test_export_refuses_either_source_even_by_another_name(
    opened: MainWindow, tmp_path: Path, source: Path
) -> None:
    alias = tmp_path / "alias.md"
    alias.symlink_to(source)
    before = source.read_bytes()
    assert not opened.exports.canonical_to(str(alias), "md")
    assert source.read_bytes() == before
    box = opened.findChild(QMessageBox, "export_error")
    assert box is not None
    assert "refusing to overwrite a source file" in box.text()


def test_a_failed_export_leaves_the_old_file_and_the_work(opened: MainWindow, tmp_path: Path) -> None:
    opened.view.set_current("d3")
    opened.commands["take_left"].trigger()
    assert not opened.exports.canonical_to(str(tmp_path / "missing-folder" / "merged.md"))
    assert opened.session is not None
    assert opened.session.is_modified  # nothing was written, so the work still counts as unsaved
