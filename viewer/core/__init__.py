"""The comparison engine: pure Python, no toolkit imports."""

from viewer.core.align import Cancelled
from viewer.core.classify import Change
from viewer.core.compare import (
    CompareOptions,
    Comparison,
    Variant,
    compare,
    load_variant,
    variant_from_text,
)
from viewer.core.decisions import (
    DecisionMatch,
    content_hash,
    decisions_from_json,
    decisions_to_json,
    match_decisions,
    merge_json,
)
from viewer.core.loading import DecodedText, LoadError
from viewer.core.merge import (
    CANONICAL_DEFAULTS,
    CanonicalText,
    Choice,
    Decision,
    MergePolicy,
    Provenance,
    default_decisions,
    merge,
    normalize,
)
from viewer.core.model import BlockKind, Difference, DifferenceKind, Side, Span
from viewer.core.output import same_file, write_atomic
from viewer.core.pair import load_pair

__all__ = [
    "CANONICAL_DEFAULTS",
    "BlockKind",
    "Cancelled",
    "CanonicalText",
    "Change",
    "Choice",
    "CompareOptions",
    "Comparison",
    "Decision",
    "DecisionMatch",
    "DecodedText",
    "Difference",
    "DifferenceKind",
    "LoadError",
    "MergePolicy",
    "Provenance",
    "Side",
    "Span",
    "Variant",
    "compare",
    "content_hash",
    "decisions_from_json",
    "decisions_to_json",
    "default_decisions",
    "load_pair",
    "load_variant",
    "match_decisions",
    "merge",
    "merge_json",
    "normalize",
    "same_file",
    "variant_from_text",
    "write_atomic",
]
