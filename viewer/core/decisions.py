"""Decisions as data: JSON round trips, matching by content, and the merge report."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.core.compare import Comparison, Variant, variant_json
from viewer.core.merge import Choice, Decision, MergePolicy, merge

FORMAT_TAG = "variorum-decisions"


def content_hash(variant: Variant) -> str:
    """A short hash of a variant's decoded text, to recognise the same pair later."""
    return hashlib.sha256(variant.text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def decisions_to_json(
    comparison: Comparison, decisions: Mapping[str, Decision], hashes: tuple[str, str] | None = None
) -> dict[str, Any]:
    """Decisions with enough content to re-apply them to a new comparison of edited files.

    `hashes` are the two variants' content hashes when the caller has them already.
    """
    left_hash, right_hash = hashes or (content_hash(comparison.left), content_hash(comparison.right))
    entries = []
    for d in comparison.differences:
        decision = decisions.get(d.id)
        if decision is None:
            continue
        entries.append(
            {
                "id": d.id,
                "kind": d.kind.value,
                "left": d.left.text,
                "right": d.right.text,
                **decision.to_json(),
            }
        )
    return {
        "format": FORMAT_TAG,
        "version": 1,
        "left": {"name": comparison.left.name, "sha256": left_hash},
        "right": {"name": comparison.right.name, "sha256": right_hash},
        "decisions": entries,
    }


@dataclass(frozen=True, slots=True)
class DecisionMatch:
    """Saved decisions applied to a comparison: those that still fit, and those that don't."""

    decisions: dict[str, Decision]
    dropped: tuple[dict[str, Any], ...]


def match_decisions(comparison: Comparison, data: Mapping[str, Any]) -> DecisionMatch:
    """Re-apply saved decisions by content: a difference that still exists keeps its decision."""
    if data.get("format") != FORMAT_TAG or not isinstance(data.get("decisions"), list):
        raise ValueError("not a decisions file (expected format 'variorum-decisions')")
    by_content: dict[tuple[str, str, str], list[str]] = {}
    for d in comparison.differences:
        by_content.setdefault(d.fingerprint, []).append(d.id)
    ids = {d.id: d.fingerprint for d in comparison.differences}
    taken: dict[str, Decision] = {}
    dropped = []
    for entry in data["decisions"]:
        try:
            decision = Decision(Choice(entry["choice"]), str(entry.get("text", "")))
            key = (str(entry["kind"]), str(entry["left"]), str(entry["right"]))
        except (KeyError, ValueError, TypeError):
            raise ValueError(f"malformed decision entry: {entry!r}"[:200]) from None
        candidates = by_content.get(key, [])
        # Prefer the same id when its content still matches; else the first free twin.
        chosen = entry.get("id") if ids.get(entry.get("id", "")) == key else None
        chosen = chosen or next((c for c in candidates if c not in taken), None)
        if chosen is None or chosen in taken:
            dropped.append(dict(entry))
            continue
        taken[chosen] = decision
    return DecisionMatch(taken, tuple(dropped))


def decisions_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """Decisions as match_decisions reads them, from a decisions file or a JSON export."""
    if data.get("format") == FORMAT_TAG:
        return dict(data)
    differences = data.get("differences")
    if not isinstance(differences, list):
        raise ValueError("neither a decisions file nor a JSON export of the canonical text")
    # An export lists every difference; only the user's decisions are taken, since the
    # policy's would be decided again anyway.
    entries = []
    for d in differences:
        if isinstance(d, dict) and d.get("decided_by") == "user":
            left, right = d.get("left", {}), d.get("right", {})
            entries.append(
                {
                    "id": d.get("id"),
                    "kind": d.get("kind"),
                    "left": left.get("text", "") if isinstance(left, dict) else "",
                    "right": right.get("text", "") if isinstance(right, dict) else "",
                    **(d.get("decision") or {}),
                }
            )
    return {"format": FORMAT_TAG, "version": 1, "decisions": entries}


def read_decisions(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The decisions in a decisions file or a JSON export; raises ValueError with one line."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ValueError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a decisions file")
    try:
        return decisions_data(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def decisions_from_json(comparison: Comparison, data: Mapping[str, Any]) -> dict[str, Decision]:
    """The saved decisions that still apply to this comparison."""
    return match_decisions(comparison, data).decisions


def merge_json(
    comparison: Comparison,
    decisions: Mapping[str, Decision] | None = None,
    policy: MergePolicy | None = None,
    text_format: str = "txt",
) -> dict[str, Any]:
    """The canonical text with every difference, its decision and where it went."""
    policy = policy or MergePolicy()
    decisions = dict(decisions or {})
    canonical = merge(comparison, decisions, policy, text_format)
    placed: dict[str, list[list[int]]] = {}
    for seg in canonical.segments:
        if seg.difference_id is not None:
            placed.setdefault(seg.difference_id, []).append([seg.start, seg.end])
    entries = []
    for change in comparison.changes:
        d = change.difference
        user = decisions.get(d.id)
        decision = user or policy.decide(change)
        entries.append(
            {
                **d.to_json(),
                "decision": decision.to_json(),
                "decided_by": "user" if user else f"policy:{policy.name}",
                "output": placed.get(d.id, []),
            }
        )
    return {
        "text": canonical.text,
        "text_format": text_format,
        "policy": {"name": policy.name, "prefer": policy.preferred.value},
        "left": variant_json(comparison.left),
        "right": variant_json(comparison.right),
        "differences": entries,
        "summary": comparison.summary,
    }
