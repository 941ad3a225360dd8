"""Merge All keeps the user's own files: exports, and files changed since it wrote them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PDF_SAMPLE, WEB_SAMPLE
from tests.test_cli import run
from viewer.core import CompareOptions
from viewer.core.folders import FilePair, merge_files
from viewer.core.merge import MergePolicy
from viewer.core.written import EXPORTED, KEPT_CHANGED, KEPT_EXPORT, MERGED, WrittenStore


def test_a_file_is_kept_only_when_it_holds_an_export_or_changed_since_it_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = WrittenStore(tmp_path / "records")
    target = tmp_path / "out" / "a.md"
    assert store.kept(target) == "", "nothing there: written"
    target.parent.mkdir()
    target.write_text("someone else's\n", encoding="utf-8")
    assert store.kept(target) == "", "nothing known of it: replaced, as the dialog says"
    store.note(target, MERGED)
    assert store.kept(target) == ""
    target.write_text("someone else's, edited\n", encoding="utf-8")
    assert store.kept(target) == KEPT_CHANGED
    store.note(target, EXPORTED)
    assert store.kept(target) == KEPT_EXPORT
    target.write_text("an export, edited\n", encoding="utf-8")
    assert store.kept(target) == KEPT_CHANGED
    # Records go by the absolute path: the same file named relatively is the same file.
    monkeypatch.chdir(target.parent)
    assert store.kept("a.md") == KEPT_CHANGED
    # A record that cannot be read tells nothing.
    store.record_path(target).write_text("{", encoding="utf-8")
    assert store.kept(target) == ""


def test_a_file_whose_name_is_not_utf8_is_looked_after_too(tmp_path: Path) -> None:
    store = WrittenStore(tmp_path / "records")
    target = tmp_path / os.fsdecode(b"caf\xe9.md")  # Latin-1 bytes: a surrogate in the name
    target.write_text("exported\n", encoding="utf-8")
    store.note(target, EXPORTED)
    assert store.kept(target) == KEPT_EXPORT


def test_merge_files_writes_records_and_keeps_what_changed(tmp_path: Path) -> None:
    records = str(tmp_path / "records")
    output = tmp_path / "out" / "lavrov.md"
    args = (FilePair("lavrov.md", "lavrov.txt"), (str(WEB_SAMPLE), str(PDF_SAMPLE)), CompareOptions())
    args += (MergePolicy(), "md", str(output))

    first = merge_files(*args, records)
    assert first.output == str(output)
    assert not first.kept
    assert first.differences
    assert output.read_text(encoding="utf-8") == run("merge", "--format", "md", WEB_SAMPLE, PDF_SAMPLE).stdout
    inode = output.stat().st_ino
    again = merge_files(*args, records)
    assert not again.kept
    assert output.stat().st_ino != inode, "its own file, unchanged: written again"

    output.write_text("Mine now.\n", encoding="utf-8")
    kept = merge_files(*args, records)
    assert kept.kept == KEPT_CHANGED
    assert (kept.summary, kept.differences) == (first.summary, first.differences)
    assert output.read_text(encoding="utf-8") == "Mine now.\n"
    # Without records (the command line's batches), the file is replaced as asked.
    merge_files(*args)
    assert output.read_text(encoding="utf-8") != "Mine now.\n"


def test_records_of_files_no_longer_there_are_pruned(tmp_path: Path) -> None:
    store = WrittenStore(tmp_path / "records")
    kept, gone = tmp_path / "kept.md", tmp_path / "gone.md"
    for path in (kept, gone):
        path.write_text("text\n", encoding="utf-8")
        store.note(path, MERGED)
    (tmp_path / "records" / "other.json").write_text("not a record", encoding="utf-8")
    gone.unlink()
    assert store.prune() == 1
    assert not store.record_path(gone).exists()
    assert store.record_path(kept).exists()
    assert (tmp_path / "records" / "other.json").exists()
    kept.write_text("changed\n", encoding="utf-8")
    assert store.kept(kept) == KEPT_CHANGED  # a changed file keeps its record
    assert store.prune() == 0
    assert WrittenStore(tmp_path / "none").prune() == 0
