"""Inline math in Markdown (`$k \\times W$`), read as a reader of the rendered page sees it.

A paper converted from its LaTeX source keeps its formulas as `$…$` (GitHub, pandoc and
most Markdown renderers show them as math); the same paper taken from its PDF has what was
printed: `k × W`, `hi` for `$h_i$`, `6.84 ± 0.07`. The dollars are markup, and inside them
common commands show as their symbol, font and sizing commands and the braces, `^` and `_`
of scripts are hidden, and anything else stays as written.

A span opens at a `$` with no letter, digit or `$` before it and no space after it, and
closes at the next `$` on the line with no space before it and no digit or `$` after it
(pandoc's rule), so that prices do not make math: `$5 and $10`, `US$5`, `$5-$10`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_SPAN = re.compile(r"(?<![$\w])\$(?=[^\s$])([^$\n]*?[^\s$\\])\$(?![$\d])")
_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")

_GREEK = (
    "alpha α beta β gamma γ delta δ epsilon ϵ varepsilon ε zeta ζ eta η theta θ vartheta ϑ"
    " iota ι kappa κ lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς"
    " tau τ upsilon υ phi ϕ varphi φ chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ"
    " Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω"
)
_OPERATORS = (
    "times × cdot · pm ± mp ∓ div ÷ leq ≤ le ≤ geq ≥ ge ≥ neq ≠ ne ≠ approx ≈ sim ∼ simeq ≃"
    " cong ≅ equiv ≡ propto ∝ ll ≪ gg ≫ infty ∞ to → rightarrow → leftarrow ← gets ←"
    " Rightarrow ⇒ Leftarrow ⇐ leftrightarrow ↔ mapsto ↦ ldots … dots … cdots ⋯ in ∈ notin ∉"
    " ni ∋ subset ⊂ subseteq ⊆ supset ⊃ supseteq ⊇ cup ∪ cap ∩ setminus ∖ emptyset ∅"
    " sum ∑ prod ∏ int ∫ oint ∮ partial ∂ nabla ∇ sqrt √ forall ∀ exists ∃ neg ¬ lnot ¬"
    " land ∧ wedge ∧ lor ∨ vee ∨ oplus ⊕ otimes ⊗ circ ∘ bullet • star ⋆ prime ′ mid ∣"
    " parallel ∥ perp ⊥ angle ∠ top ⊤ bot ⊥ langle ⟨ rangle ⟩ lceil ⌈ rceil ⌉ lfloor ⌊"
    " rfloor ⌋ hbar ℏ ell ℓ Re ℜ Im ℑ aleph ℵ"
)
#: Commands shown as a symbol, or as their name (`\log`, `\bmod`).
SYMBOLS: dict[str, str] = dict(zip(*[iter((_GREEK + " " + _OPERATORS).split())] * 2, strict=True))
_FUNCTIONS = "log ln exp sin cos tan max min sup inf lim arg det dim gcd mod"
SYMBOLS.update({name: name for name in _FUNCTIONS.split()})
SYMBOLS["bmod"] = SYMBOLS["pmod"] = "mod"
_LOOKS = (
    "mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak boldsymbol text textrm textit"
    " textbf operatorname mbox hbox left right big Big bigg Bigg displaystyle textstyle"
    " scriptstyle limits nolimits quad qquad"
)
#: Commands that only change how their argument looks, or space it: hidden.
HIDDEN_COMMANDS = frozenset(_LOOKS.split())
#: Marks hidden inside math: script markers and grouping braces.
_SCRIPT_MARKS = frozenset("^_{}")
#: Escaped characters hidden inside math: script markers a converter escaped for Markdown
#: (`$h\_i$`), and the spacing commands `\,` `\;` `\!` `\:`.
_ESCAPED = frozenset("^_,;!:")


def spans(text: str) -> Iterator[tuple[int, int]]:
    """Where inline math stands in the text: (start of the opening $, end of the closing $)."""
    for m in _SPAN.finditer(text):
        yield m.start(), m.end()


def pieces(text: str, start: int, end: int, escaped_base: int) -> Iterator[tuple[int, int, str | None]]:
    """How the math span text[start:end] shows: (start, end, what shows instead) for each
    stretch that changes, None to hide it. `escaped_base` is where a backslash escape's
    character waits (see document.hide_escapes): `\\_` arrives as chr(escaped_base + ord("_"))."""
    yield start, start + 1, None
    yield end - 1, end, None
    inside = text[start + 1 : end - 1]
    base = start + 1
    for m in _COMMAND.finditer(inside):
        name = m.group(1)
        if name in SYMBOLS:
            # The space after a command ends it and stays, as written (`\times W`: `× W`).
            yield base + m.start(), base + m.end(1), SYMBOLS[name]
        elif name in HIDDEN_COMMANDS:
            yield base + m.start(), base + m.end(), None
    for k, char in enumerate(inside):
        if char in _SCRIPT_MARKS or (ord(char) > escaped_base and chr(ord(char) - escaped_base) in _ESCAPED):
            yield base + k, base + k + 1, None


__all__ = ["HIDDEN_COMMANDS", "SYMBOLS", "pieces", "spans"]
