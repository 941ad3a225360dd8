"""Per corpus pair: how many differences are wording, and the share of words inside them.

    python bench/corpus_report.py [--corpus DIR] [--engine CHECKOUT]

--engine runs the report with the engine of another checkout (e.g. an older commit in a
git worktree), so that figures before and after a change can be put side by side.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--engine", type=Path, default=ROOT, help="checkout whose viewer/ is measured")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}; nothing to report")
        return 0
    sys.path.insert(0, str(args.engine.resolve()))
    from viewer.core import compare, load_variant

    print(f"{'pair':<50} {'wording':>8} {'words in wording (a / b)':>26}  other kinds")
    for folder in sorted(p for p in args.corpus.iterdir() if p.is_dir()):
        a = next(folder.glob("a.*"))
        b = next(folder.glob("b.*"))
        comparison = compare(load_variant(a), load_variant(b))
        wording = [d for d in comparison.differences if d.kind == "wording"]
        shares = []
        for side in ("left", "right"):
            variant = getattr(comparison, side)
            total = len(variant.document) or 1
            inside = sum(len(getattr(d, side).text.split()) for d in wording)
            shares.append(f"{100 * inside / total:5.1f} %")
        others = ", ".join(f"{k} {n}" for k, n in sorted(comparison.summary.items()) if k != "wording")
        print(f"{folder.name:<50} {len(wording):>8} {' / '.join(shares):>26}  {others}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
