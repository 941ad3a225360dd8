"""The user's hand edits of the canonical text, kept as patches over the merged text.

The merged text (the "base") is rebuilt from the decisions; the user's edits are patches
on it, so a later decision elsewhere keeps them, and a decision on the very text a patch
touched replaces that patch. Pure Python, tested without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

_CHUNK = 4096


def common_prefix_length(a: str, b: str) -> int:
    """Length of the common prefix, compared a chunk at a time (fast on megabyte texts)."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i : i + _CHUNK] == b[i : i + _CHUNK]:
        i += _CHUNK
    while i < n and a[i] == b[i]:
        i += 1
    return min(i, n)


def common_suffix_length(a: str, b: str, limit: int | None = None) -> int:
    """Length of the common suffix, at most `limit` (so it never overlaps a known prefix)."""
    n = min(len(a), len(b)) if limit is None else min(len(a), len(b), limit)
    i = 0
    la, lb = len(a), len(b)
    while i + _CHUNK <= n and a[la - i - _CHUNK : la - i] == b[lb - i - _CHUNK : lb - i]:
        i += _CHUNK
    while i < n and a[la - i - 1] == b[lb - i - 1]:
        i += 1
    return i


def changed_region(old: str, new: str) -> tuple[int, int, int]:
    """(start, old end, new end): the one stretch where two texts differ."""
    p = common_prefix_length(old, new)
    s = common_suffix_length(old, new, min(len(old), len(new)) - p)
    return p, len(old) - s, len(new) - s


@dataclass(frozen=True, slots=True)
class Patch:
    """Base text [start, end) replaced by `text`."""

    start: int
    end: int
    text: str

    @property
    def delta(self) -> int:
        return len(self.text) - (self.end - self.start)


Patches = tuple[Patch, ...]


def apply_patches(base: str, patches: Patches) -> str:
    out = []
    pos = 0
    for p in patches:
        out.append(base[pos : p.start])
        out.append(p.text)
        pos = p.end
    out.append(base[pos:])
    return "".join(out)


def current_ranges(patches: Patches) -> list[tuple[int, int]]:
    """Where each patch's text stands in the edited text."""
    shift = 0
    out = []
    for p in patches:
        out.append((p.start + shift, p.start + shift + len(p.text)))
        shift += p.delta
    return out


def to_base(patches: Patches, position: int) -> int:
    """The base offset of a position in the edited text (inside a patch: the patch's start)."""
    shift = 0
    for p in patches:
        start = p.start + shift
        if position < start:
            break
        if position <= start + len(p.text):
            return p.start if position < start + len(p.text) else p.end
        shift += p.delta
    return position - shift


def to_current(patches: Patches, offset: int) -> int:
    """The position in the edited text of a base offset (inside a patch: the patch's start)."""
    shift = 0
    for p in patches:
        if offset < p.start:
            break
        if offset < p.end:
            return p.start + shift
        shift += p.delta
    return offset + shift


def edit(base: str, patches: Patches, position: int, removed: int, added: str) -> Patches:
    """The patches after the user replaced `removed` characters at `position` by `added`."""
    current = apply_patches(base, patches)
    lo, hi = position, position + removed
    before: list[Patch] = []
    after: list[Patch] = []
    touched: list[tuple[Patch, int, int]] = []
    for p, (a, b) in zip(patches, current_ranges(patches), strict=True):
        if b < lo:
            before.append(p)
        elif a > hi:
            after.append(p)
        else:
            # Touching or overlapping patches fold into the new one: typing on extends a patch.
            touched.append((p, a, b))
            lo, hi = min(lo, a), max(hi, b)
    base_lo = touched[0][0].start if touched and touched[0][1] == lo else to_base(patches, lo)
    base_hi = touched[-1][0].end if touched and touched[-1][2] == hi else to_base(patches, hi)
    new_text = current[lo:position] + added + current[position + removed : hi]
    middle = [] if new_text == base[base_lo:base_hi] else [Patch(base_lo, base_hi, new_text)]
    return (*before, *middle, *after)


def rebase(old_base: str, new_base: str, patches: Patches) -> Patches:
    """Carry patches over a change of the base; a patch on the changed stretch is dropped."""
    if not patches:
        return patches
    start, old_end, new_end = changed_region(old_base, new_base)
    delta = new_end - old_end
    out = []
    for p in patches:
        if p.end <= start:
            out.append(p)
        elif p.start >= old_end:
            out.append(Patch(p.start + delta, p.end + delta, p.text))
        # Otherwise the patch overlaps the change: the new decision replaces what the user edited.
    return tuple(out)
