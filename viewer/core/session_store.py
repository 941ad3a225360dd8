"""Autosaved merge work on disk: one JSON file per pair of paths, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer.core.loading import LoadError
from viewer.core.merge import MergePolicy
from viewer.core.model import DifferenceKind, Side
from viewer.core.output import write_atomic

FORMAT_TAG = "variorum-autosave"
#: Autosaves nobody came back to for this long are removed.
MAX_AGE_SECONDS = 30 * 24 * 3600


def policy_to_json(policy: MergePolicy) -> dict[str, Any]:
    return {
        "name": policy.name,
        "prefer": policy.prefer.value,
        "kinds": {kind.value: rule for kind, rule in sorted(policy.kind_choices.items())},
    }


def policy_from_json(data: Mapping[str, Any]) -> MergePolicy:
    """The policy saved by policy_to_json; raises ValueError on anything else."""
    kinds = data.get("kinds", {})
    if not isinstance(kinds, Mapping):
        raise ValueError("policy kinds must be an object")
    return MergePolicy(
        str(data.get("name", "canonical")),
        Side(str(data.get("prefer", "left"))),
        {DifferenceKind(str(k)): str(r) for k, r in kinds.items()},
    )


@dataclass(frozen=True, slots=True)
class AutosaveRecord:
    """Unsaved merge work on one pair of files: decisions, hand edits, format and policy."""

    left_path: str
    right_path: str
    left_hash: str
    right_hash: str
    #: As decisions_to_json writes them, so they can be matched again by content.
    decisions: Mapping[str, Any]
    #: Hand edits as (start, end, replacement) on the merged text.
    patches: tuple[tuple[int, int, str], ...] = ()
    text_format: str = "txt"
    policy: MergePolicy = field(default_factory=MergePolicy)
    #: The canonical text with the hand edits, to check that a restore rebuilds it exactly.
    text: str = ""
    saved_at: float = 0.0

    @property
    def decision_count(self) -> int:
        entries = self.decisions.get("decisions", [])
        return len(entries) if isinstance(entries, list) else 0

    def matches(self, left_hash: str, right_hash: str) -> bool:
        """Whether the files still have the content this work was done on."""
        return (self.left_hash, self.right_hash) == (left_hash, right_hash)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_TAG,
            "version": 1,
            "saved_at": self.saved_at,
            "left": {"path": self.left_path, "sha256": self.left_hash},
            "right": {"path": self.right_path, "sha256": self.right_hash},
            "policy": policy_to_json(self.policy),
            "text_format": self.text_format,
            "decisions": dict(self.decisions),
            "patches": [[start, end, text] for start, end, text in self.patches],
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AutosaveRecord:
        """Read a record back; raises ValueError when it is not one."""
        if data.get("format") != FORMAT_TAG:
            raise ValueError(f"not an autosave (expected format {FORMAT_TAG!r})")
        try:
            left, right = data["left"], data["right"]
            patches = tuple((int(s), int(e), str(t)) for s, e, t in data.get("patches", []))
            decisions = data["decisions"]
            if not isinstance(decisions, Mapping):
                raise TypeError("decisions must be an object")
            return cls(
                left_path=str(left["path"]),
                right_path=str(right["path"]),
                left_hash=str(left["sha256"]),
                right_hash=str(right["sha256"]),
                decisions=decisions,
                patches=patches,
                text_format=str(data.get("text_format", "txt")),
                policy=policy_from_json(data.get("policy", {})),
                text=str(data.get("text", "")),
                saved_at=float(data.get("saved_at", 0.0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"malformed autosave: {exc}") from None


def pair_key(left: str, right: str) -> str:
    """The file name stem for a pair: the two absolute paths, in order, hashed."""
    joined = f"{os.path.abspath(left)}\0{os.path.abspath(right)}"
    return hashlib.sha256(joined.encode("utf-8", "surrogateescape")).hexdigest()[:24]


#: Characters of the merged text escaped per call while writing a record.
_TEXT_PIECE = 1 << 16


def record_json(record: AutosaveRecord) -> str:
    """The record as JSON text. The merged text (megabytes, for a long pair) is escaped piece
    by piece: one call over all of it would hold the interpreter lock for a tenth of a second,
    and autosaves are written in a worker thread beside the window."""
    data = record.to_json()
    text = data.pop("text")
    head = json.dumps(data, ensure_ascii=False)
    escaped = (
        json.dumps(text[i : i + _TEXT_PIECE], ensure_ascii=False)[1:-1]
        for i in range(0, len(text), _TEXT_PIECE)
    )
    return "".join([head[:-1], ', "text": "', *escaped, '"}'])


class AutosaveStore:
    """A folder of autosaves (the user's data folder); every write replaces a file atomically."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def path_for(self, left: str, right: str) -> Path:
        return self.directory / f"{pair_key(left, right)}.json"

    def save(self, record: AutosaveRecord) -> Path:
        """Write a record; raises LoadError when the folder or file cannot be written."""
        try:
            # Merged texts can be private: the folder is the user's alone.
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise LoadError(f"{self.directory}: cannot create ({exc.strerror or exc})") from None
        path = self.path_for(record.left_path, record.right_path)
        write_atomic(path, record_json(record))
        return path

    def load(self, left: str, right: str) -> AutosaveRecord | None:
        """The record for a pair of paths, or None when there is none or it cannot be read."""
        try:
            data = json.loads(self.path_for(left, right).read_text(encoding="utf-8"))
            record = AutosaveRecord.from_json(data)
        except (OSError, ValueError, AttributeError):
            return None
        same = (os.path.abspath(record.left_path), os.path.abspath(record.right_path))
        return record if same == (os.path.abspath(left), os.path.abspath(right)) else None

    def remove(self, left: str, right: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_for(left, right).unlink()

    def prune(self, max_age: float = MAX_AGE_SECONDS, now: float | None = None) -> list[Path]:
        """Remove autosaves older than `max_age` seconds; returns what was removed."""
        now = time.time() if now is None else now
        removed = []
        with contextlib.suppress(OSError):
            for path in self.directory.glob("*.json"):
                with contextlib.suppress(OSError):
                    if now - path.stat().st_mtime > max_age:
                        path.unlink()
                        removed.append(path)
        return removed
