"""Two folders of variants paired file by file, for comparing or merging them in one go.

A file pairs with the file at the same relative path in the other folder; failing that, with
the one file of the same name less its suffix in the same subfolder (`ch1.md` with
`ch1.pdf`), when that name is unique on both sides. Hidden files and folders, and files
that are not documents by their suffix, are left out.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.core.compare import CompareOptions, Comparison, compare, load_variant
from viewer.core.decisions import merge_json
from viewer.core.loading import LoadError
from viewer.core.merge import MergePolicy, merge
from viewer.core.output import write_atomic
from viewer.core.written import MERGED, WrittenStore

#: What a document's name ends with (a file with no suffix is read as plain text too).
DOCUMENT_SUFFIXES = (".md", ".markdown", ".rst", ".rest", ".txt", ".text", ".html", ".htm", ".xhtml", ".pdf")


@dataclass(frozen=True, slots=True)
class FilePair:
    """Two files that are variants of one document: paths relative to their folders."""

    left: str
    right: str


@dataclass(frozen=True, slots=True)
class FolderPairing:
    """What pairs with what between two folders, and what is on one side only."""

    left_root: str
    right_root: str
    pairs: tuple[FilePair, ...]
    only_left: tuple[str, ...]
    only_right: tuple[str, ...]

    def paths(self, pair: FilePair) -> tuple[str, str]:
        """The pair's two files as paths (joined to their folders)."""
        return os.path.join(self.left_root, pair.left), os.path.join(self.right_root, pair.right)


def is_document(name: str) -> bool:
    stem, dot, suffix = name.rpartition(".")
    return not (dot and stem) or f".{suffix.lower()}" in DOCUMENT_SUFFIXES


def check_folder(root: str | os.PathLike[str]) -> str:
    """The folder's path, if it is a folder that can be listed; raises LoadError (a quick
    check: reading a large folder's documents can take a while)."""
    top = os.fspath(root)
    if not os.path.isdir(top):
        raise LoadError(f"{top}: not a folder" if os.path.exists(top) else f"{top}: no such folder")
    if not os.access(top, os.R_OK | os.X_OK):
        raise LoadError(f"{top}: cannot read the folder (permission denied)")
    return top


def documents(root: str | os.PathLike[str]) -> list[str]:
    """The documents under a folder, as sorted relative paths with "/" between parts.

    Hidden entries (a name starting with ".") are skipped; links to folders are not followed
    (they could loop), links to files are. A subfolder that cannot be read is skipped."""
    top = check_folder(root)
    found: list[str] = []
    folders = [("", top)]
    while folders:
        prefix, folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as exc:
            if folder == top:
                raise LoadError(f"{top}: cannot read the folder ({exc.strerror or exc})") from None
            continue
        for entry in listed:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{name}/", entry.path))
                elif entry.is_file() and is_document(name):
                    found.append(prefix + name)
            except OSError:
                continue
    return sorted(found, key=natural_key)


_NUMBER = re.compile(r"\d+")


def _padded(number: re.Match[str]) -> str:
    digits = number.group().lstrip("0") or "0"
    return f"{len(digits):03d}{digits}"


def natural_key(path: str) -> tuple[str, str]:
    """A relative path's place in natural order: numbers by value (`ch2` before `ch10`), letters
    without regard to case, a folder's files before a name that goes on past the folder's
    (`a/z.md` before `a b.md`); the exact text decides a tie."""
    return _NUMBER.sub(_padded, path.casefold()).replace("/", "\0"), path


def pair_folders(left: str | os.PathLike[str], right: str | os.PathLike[str]) -> FolderPairing:
    """Pair the documents of two folders (see the module's docstring); raises LoadError."""
    left_files, right_files = documents(left), documents(right)
    same = set(left_files) & set(right_files)
    pairs = [FilePair(name, name) for name in same]
    rest_left = [name for name in left_files if name not in same]
    rest_right = [name for name in right_files if name not in same]
    by_stem: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for side, names in enumerate((rest_left, rest_right)):
        for name in names:
            by_stem[_stem(name)][side].append(name)
    paired: set[str] = set()
    for lefts, rights in by_stem.values():
        if len(lefts) == 1 and len(rights) == 1:
            pairs.append(FilePair(lefts[0], rights[0]))
            paired.update((f"<{lefts[0]}", f">{rights[0]}"))
    pairs.sort(key=lambda p: (natural_key(p.left), natural_key(p.right)))
    return FolderPairing(
        left_root=str(left),
        right_root=str(right),
        pairs=tuple(pairs),
        only_left=tuple(name for name in rest_left if f"<{name}" not in paired),
        only_right=tuple(name for name in rest_right if f">{name}" not in paired),
    )


def _stem(name: str) -> str:
    """The path less its suffix: `a/ch1.md` → `a/ch1` (`a/.b`, `a/b` stay)."""
    folder, _, base = name.rpartition("/")
    stem, dot, _suffix = base.rpartition(".")
    return f"{folder}/{stem}" if folder and dot and stem else stem if dot and stem else name


def output_names(
    pairs: tuple[FilePair, ...] | list[FilePair], fmt: str, reserved: frozenset[str] = frozenset()
) -> list[str]:
    """Where each pair's merged text goes, relative to an output folder: the left file's path
    with the format's suffix (`ch1.md` → `ch1.txt`), or with the suffix added where two pairs
    would otherwise write the same file, or where the name is `reserved` (another file of
    the folder's, as a report's index.html)."""
    names = [f"{_stem(p.left)}.{fmt}" for p in pairs]
    taken: dict[str, int] = defaultdict(int)
    for name in names:
        taken[name] += 1
    names = [
        name if taken[name] == 1 and name not in reserved else f"{p.left}.{fmt}"
        for name, p in zip(names, pairs, strict=True)
    ]
    # A name with the suffix added can still be another pair's (a left file named x.md.txt
    # beside x.md and x.txt), or reserved: the later of two such pairs is numbered, clear of
    # every name.
    wanted = set(names) | reserved
    given: set[str] = set(reserved)
    unique = []
    for name in names:
        chosen, number = name, 1
        while chosen in given:
            number += 1
            chosen = f"{_stem(name)}-{number}.{fmt}"
            if chosen in wanted:
                chosen = name  # another pair's own name: try the next number
        given.add(chosen)
        unique.append(chosen)
    return unique


def inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Whether path is the folder or lies under it (links resolved)."""
    resolved, top = Path(path).resolve(), Path(folder).resolve()
    return resolved == top or top in resolved.parents


def check_output_folder(folder: str | os.PathLike[str], pairing: FolderPairing) -> None:
    """Raise LoadError unless `folder` can take what is written for a pairing: outside both
    compared folders (and neither inside it, so that no source can be overwritten), and a
    folder if it exists."""
    for source in (pairing.left_root, pairing.right_root):
        if inside(folder, source) or inside(source, folder):
            raise LoadError(f"{folder}: the output folder must lie outside the compared folders")
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise LoadError(f"{folder}: is not a folder")


@dataclass(frozen=True, slots=True)
class PairOutcome:
    """What came of one pair: its differences by kind, or the one-line error that stopped it."""

    pair: FilePair
    summary: dict[str, int]
    differences: int = 0
    error: str | None = None
    output: str | None = None
    #: Why Merge All kept the file already at `output` and wrote nothing (KEPT_EXPORT or
    #: KEPT_CHANGED of viewer.core.written); "" when it wrote the file.
    kept: str = ""

    @property
    def state(self) -> str:
        """ "trouble" (it could not be done), "different" or "same"."""
        return "trouble" if self.error else "different" if self.differences else "same"


def tally(pairing: FolderPairing, counts: Mapping[str, int]) -> str:
    """ "6 pairs: 1 same, 4 different, 1 with trouble, 1 only left", from the number of pairs
    in each state so far (`counts`, by PairOutcome.state)."""
    total = len(pairing.pairs)
    parts = [f"{total:,} pair{'s' if total != 1 else ''}: {counts.get('same', 0):,} same"]
    parts.append(f"{counts.get('different', 0):,} different")
    for label, n in (
        ("with trouble", counts.get("trouble", 0)),
        ("only left", len(pairing.only_left)),
        ("only right", len(pairing.only_right)),
    ):
        if n:
            parts.append(f"{n:,} {label}")
    return ", ".join(parts)


def outcome_of(work: Callable[..., PairOutcome], args: tuple[Any, ...]) -> PairOutcome:
    """`work(*args)` for a pair (args: the pair, its two paths, ...): a failure of the engine
    itself becomes that pair's error, so that a batch goes on with the other pairs."""
    try:
        return work(*args)
    except Exception as exc:  # reported as this pair's trouble
        return PairOutcome(args[0], {}, error=f"{args[1][0]}: internal error ({type(exc).__name__}: {exc})")


def compare_files(pair: FilePair, paths: tuple[str, str], options: CompareOptions) -> PairOutcome:
    """Compare one pair's files (in this process, one after the other)."""
    try:
        comparison = _compared(paths, options)
    except LoadError as exc:
        return PairOutcome(pair, {}, error=str(exc))
    return PairOutcome(pair, comparison.summary, len(comparison.differences))


def merge_files(
    pair: FilePair,
    paths: tuple[str, str],
    options: CompareOptions,
    policy: MergePolicy,
    fmt: str,
    output: str,
    written: str | None = None,
) -> PairOutcome:
    """Merge one pair's files and write the canonical text to `output` (atomically; its folder
    is made when missing). A source is never written.

    With `written` (a folder of records, see viewer.core.written), a file already at `output`
    that holds the user's export, or changed since it was written, is kept (the outcome says
    why), and what is written is recorded there."""
    try:
        comparison = _compared(paths, options)
    except LoadError as exc:
        return PairOutcome(pair, {}, error=str(exc))
    summary, count = comparison.summary, len(comparison.differences)
    records = WrittenStore(written) if written is not None else None
    if records is not None and (kept := records.kept(output)):
        return PairOutcome(pair, summary, count, output=output, kept=kept)
    try:
        _write(output, _canonical(comparison, policy=policy, fmt=fmt), paths)
    except LoadError as exc:
        return PairOutcome(pair, {}, error=str(exc))
    if records is not None:
        records.note(output, MERGED)
    return PairOutcome(pair, summary, count, output=output)


def write_pair(
    pair: FilePair,
    paths: tuple[str, str],
    options: CompareOptions,
    output: str,
    render: Callable[[Comparison], str],
) -> PairOutcome:
    """Compare one pair and write `render(comparison)` to `output` (atomically, ending in a line
    end; its folder is made when missing). A source is never written."""
    try:
        comparison = _compared(paths, options)
        _write(output, render(comparison), paths)
    except LoadError as exc:
        return PairOutcome(pair, {}, error=str(exc))
    return PairOutcome(pair, comparison.summary, len(comparison.differences), output=output)


def _write(output: str, text: str, paths: tuple[str, str]) -> None:
    """Write text to output atomically, ending in a line end, making its folder when missing."""
    try:
        os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    except OSError as exc:
        raise LoadError(f"{output}: cannot make its folder ({exc.strerror or exc})") from None
    write_atomic(output, text if text.endswith("\n") or not text else text + "\n", protect=paths)


def _canonical(comparison: Comparison, *, policy: MergePolicy, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(merge_json(comparison, {}, policy), ensure_ascii=False, indent=1)
    return merge(comparison, {}, policy, fmt).text


#: One pair's work: a function of this module and its arguments (the pair and its paths first).
Task = tuple[Callable[..., PairOutcome], tuple[Any, ...]]


def tasks(
    pairing: FolderPairing,
    options: CompareOptions,
    merge_into: tuple[MergePolicy, str, str] | None = None,
    written: str | None = None,
) -> list[Task]:
    """Each pair's work: compare it, or with `merge_into` (policy, format, output folder) merge
    it and write its text under the left file's path with the format's suffix (keeping the
    user's own files with `written`, see merge_files)."""
    if merge_into is None:
        return [(compare_files, (pair, pairing.paths(pair), options)) for pair in pairing.pairs]
    policy, fmt, folder = merge_into
    names = output_names(pairing.pairs, fmt)
    return [
        (merge_files, (pair, pairing.paths(pair), options, policy, fmt, os.path.join(folder, name), written))
        for pair, name in zip(pairing.pairs, names, strict=True)
    ]


def _compared(paths: tuple[str, str], options: CompareOptions) -> Comparison:
    return compare(load_variant(paths[0]), load_variant(paths[1]), options)
