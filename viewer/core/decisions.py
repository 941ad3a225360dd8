"""Decisions as data: JSON round trips, matching by content, and the merge report."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from viewer.core.compare import Comparison, Variant
from viewer.core.merge import Choice, Decision, MergePolicy, merge

FORMAT_TAG = "variorum-decisions"


def content_hash(variant: Variant) -> str:
    """A short hash of a variant's decoded text, to recognise the same pair later."""
    return hashlib.sha256(variant.text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def decisions_to_json(comparison: Comparison, decisions: Mapping[str, Decision]) -> dict[str, Any]:
    """Decisions with enough content to re-apply them to a new comparison of edited files."""
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
        "left": {"name": comparison.left.name, "sha256": content_hash(comparison.left)},
        "right": {"name": comparison.right.name, "sha256": content_hash(comparison.right)},
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
        "left": comparison.to_json()["left"],
        "right": comparison.to_json()["right"],
        "differences": entries,
        "summary": comparison.summary,
    }
