"""`python -m viewer.core.load_helper PATH`: load one variant and write it to standard output
as `viewer.core.pair.read_variant` reads it (the helper process of `load_pair`)."""

from __future__ import annotations

import sys

from viewer.core.compare import load_variant
from viewer.core.loading import LoadError
from viewer.core.pair import write_error, write_variant


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m viewer.core.load_helper PATH", file=sys.stderr)
        return 2
    out = sys.stdout.buffer
    try:
        variant = load_variant(args[0])
    except LoadError as exc:
        write_error(str(exc), out)
        return 0
    write_variant(variant, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
