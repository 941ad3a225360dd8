"""The autosave store: records round-trip, pairs are told apart, damaged files are ignored."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from viewer.core import (
    Choice,
    Decision,
    DifferenceKind,
    MergePolicy,
    Side,
    compare,
    content_hash,
    decisions_to_json,
    match_decisions,
    session_store,
    variant_from_text,
)
from viewer.core.session_store import (
    AutosaveRecord,
    AutosaveStore,
    pair_key,
    policy_from_json,
    policy_to_json,
)


def record(left: str = "/docs/a.md", right: str = "/docs/b.txt", **changes: object) -> AutosaveRecord:
    fields: dict[str, object] = {
        "left_path": left,
        "right_path": right,
        "left_hash": "1" * 16,
        "right_hash": "2" * 16,
        "decisions": {"format": "variorum-decisions", "version": 1, "decisions": []},
        "patches": ((3, 5, "xyz"),),
        "text_format": "md",
        "policy": MergePolicy(prefer=Side.RIGHT, kind_choices={DifferenceKind.CAPTION: "left"}),
        "text": "the text",
        "saved_at": 1_700_000_000.0,
    }
    fields.update(changes)
    return AutosaveRecord(**fields)  # type: ignore[arg-type]


def test_a_record_round_trips_through_the_store(tmp_path: Path) -> None:
    store = AutosaveStore(tmp_path / "autosave")
    saved = record()
    path = store.save(saved)
    assert path.parent == tmp_path / "autosave"
    assert store.load("/docs/a.md", "/docs/b.txt") == saved
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    assert (path.parent.stat().st_mode & 0o777) == 0o700


def test_each_pair_of_paths_has_its_own_record(tmp_path: Path) -> None:
    store = AutosaveStore(tmp_path)
    store.save(record())
    assert store.load("/docs/b.txt", "/docs/a.md") is None
    assert store.load("/docs/a.md", "/docs/other.txt") is None
    assert pair_key("a", "b") != pair_key("b", "a")
    assert pair_key("a", "b") == pair_key(os.path.abspath("a"), os.path.abspath("b"))


def test_a_record_matches_only_the_same_contents() -> None:
    r = record()
    assert r.matches("1" * 16, "2" * 16)
    assert not r.matches("1" * 16, "3" * 16)


@pytest.mark.parametrize(
    "content",
    ["", "{not json", '{"format": "something-else"}', '{"format": "variorum-autosave", "left": 3}', "[]"],
)
def test_a_damaged_file_is_no_record(tmp_path: Path, content: str) -> None:
    store = AutosaveStore(tmp_path)
    store.path_for("/a", "/b").write_text(content, encoding="utf-8")
    assert store.load("/a", "/b") is None


def test_remove_and_prune(tmp_path: Path) -> None:
    store = AutosaveStore(tmp_path)
    old = store.save(record("/x", "/y"))
    new = store.save(record())
    os.utime(old, (1000.0, 1000.0))
    assert store.prune(max_age=3600) == [old]
    assert new.exists()
    store.remove("/docs/a.md", "/docs/b.txt")
    store.remove("/docs/a.md", "/docs/b.txt")  # twice is fine
    assert not new.exists()


def test_policies_round_trip() -> None:
    policy = MergePolicy("canonical", Side.RIGHT, {DifferenceKind.BREAK: "both", DifferenceKind.LINK: "left"})
    assert policy_from_json(json.loads(json.dumps(policy_to_json(policy)))) == policy
    with pytest.raises(ValueError, match="unknown rule"):
        policy_from_json({"kinds": {"link": "sideways"}})


def test_saved_decisions_come_back_by_content(tmp_path: Path) -> None:
    left = variant_from_text("One two three.\n\nFour five six.", "a.md")
    right = variant_from_text("One two tree.\n\nFour five seven.", "b.txt")
    comparison = compare(left, right)
    decisions = {d.id: Decision(Choice.RIGHT) for d in comparison.differences[:1]}
    decisions[comparison.differences[-1].id] = Decision(Choice.CUSTOM, "six, or seven")
    store = AutosaveStore(tmp_path)
    store.save(
        record(
            "a.md",
            "b.txt",
            left_hash=content_hash(left),
            right_hash=content_hash(right),
            decisions=decisions_to_json(comparison, decisions),
        )
    )
    loaded = store.load("a.md", "b.txt")
    assert loaded is not None
    assert loaded.matches(content_hash(left), content_hash(right))
    assert loaded.decision_count == 2
    assert match_decisions(compare(left, right), loaded.decisions).decisions == decisions


@pytest.mark.parametrize("piece", [1, 3, 7, 1 << 16])
def test_the_merged_text_is_written_in_pieces_that_read_back_whole(
    piece: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = 'Quote " back\\slash\nnew line\ttab \u00e9 \U0001f600 \x00 end ' * 5
    saved = record(text=text, patches=((0, 1, '"text": "x"'),))
    monkeypatch.setattr(session_store, "_TEXT_PIECE", piece)
    written = session_store.record_json(saved)
    assert json.loads(written) == saved.to_json()
    store = AutosaveStore(tmp_path)
    store.save(saved)
    assert store.load(saved.left_path, saved.right_path) == saved
