"""How close the words Variorum reads from .rst files come to what docutils renders of them.

    python bench/rest_check.py DIR [DIR ...] [--sample N] [--seed S]

For each reStructuredText file found under the folders (a random sample of N, by default
150), the visible words of docutils' document tree (comments, targets, substitution
definitions, raw blocks and system messages left out; an image stands for its alt text) are
aligned with the words Variorum reads, once reading the file as reStructuredText and once
as Markdown. It prints the words each reading has that docutils does not show (extra) and
those it misses. docutils is not a dependency of Variorum: the script needs it importable.
Directives and roles of Sphinx are unknown to docutils, which drops them; Variorum shows
their text, which counts as extra here.
"""

from __future__ import annotations

import argparse
import difflib
import io
import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from viewer.core.document import Document, parse  # noqa: E402
from viewer.core.rest import parse_rest  # noqa: E402

#: Files with more words than this are skipped (the reference alignment is quadratic).
MAX_WORDS = 20_000


def rendered_words(text: str) -> list[str]:
    """The words docutils shows of a reStructuredText text."""
    import docutils.core
    import docutils.nodes as nodes

    settings = {
        "report_level": 5,
        "halt_level": 5,
        "warning_stream": io.StringIO(),
        "file_insertion_enabled": False,
        "raw_enabled": False,
    }
    tree = docutils.core.publish_doctree(text, settings_overrides=settings)
    unseen = (
        nodes.comment,
        nodes.system_message,
        nodes.substitution_definition,
        nodes.target,
        nodes.raw,
        nodes.problematic,
    )
    for node in list(tree.findall(lambda n: isinstance(n, unseen))):
        node.parent.remove(node)
    for image in list(tree.findall(nodes.image)):
        image.parent.replace(image, nodes.Text(" " + image.get("alt", "") + " "))
    words: list[str] = tree.astext().split()
    return words


def matched(ours: list[str], reference: list[str]) -> int:
    matcher = difflib.SequenceMatcher(None, ours, reference, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def main(argv: list[str] | None = None) -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--sample", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        import docutils  # noqa: F401
    except ImportError:
        print("rest_check: docutils is needed (pip install docutils)", file=sys.stderr)
        return 2
    files = sorted({p for folder in args.folders for p in folder.rglob("*.rst") if p.is_file()})
    if not files:
        print("rest_check: no .rst files under the folders given", file=sys.stderr)
        return 2
    random.seed(args.seed)
    sample = random.sample(files, min(args.sample, len(files)))
    readings: dict[str, Callable[[str], Document]] = {"reStructuredText": parse_rest, "Markdown": parse}
    totals = {name: [0, 0, 0] for name in readings}  # matched, ours, docutils'
    used = 0
    for path in sample:
        try:
            text = path.read_text(encoding="utf-8")
            reference = rendered_words(text)
        except Exception:  # a file that cannot be read, or that docutils cannot parse, is skipped
            continue
        if len(reference) > MAX_WORDS:
            continue
        used += 1
        for name, read in readings.items():
            ours = list(read(text).words)
            total = totals[name]
            total[0] += matched(ours, reference)
            total[1] += len(ours)
            total[2] += len(reference)
    print(f"{used} files of {len(files)} (seed {args.seed}); words docutils shows: {totals['Markdown'][2]:,}")
    for name, (same, read_here, shown) in totals.items():
        extra, missing = read_here - same, shown - same
        print(
            f"read as {name:16}  extra {extra:6,} ({extra / max(1, shown):6.2%})"
            f"  missing {missing:6,} ({missing / max(1, shown):6.2%})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
