"""Citations and cross-references: a source's keys against the numbers a reader sees.

A paper converted from its LaTeX source keeps its citation keys and labels, often glued to
the word before them (`observers[li2019tablebank,DocLayNet].`, `Figure[fig:swa]`); the same
paper taken from its PDF shows what was printed (`observers [7,8].`, `Figure 1`). Word for
word these are replacements, and a paper has dozens of them; they are one difference of
their own kind, so that the wording that really changed stands out.

A stretch of words on each side is a citation difference when, its reference groups taken
out, both sides have the same words and numbers (case, spaces and punctuation aside), and
at least one side has such a group. A reference group is a bracketed list of keys or
numbers with no space inside an item (`[IEECloud22,KDD18]`, `[6, 3]`, `[tab:HPO]`), not a
link (`[text](url)`, `[text][ref]`), not bracketed words (`[We must]`) and not a task
list's box (`[x]`). Where one side has keys and the other only numbers, each place a key
stood may hold one bare number on the other side: `section[Con]we` against `section 6 we`,
but `Table[t] lists results` against `Table 1 lists 12 results` stays wording.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from viewer.core.model import Side

#: At most this many words on a side are looked at (a citation difference is short).
MAX_WORDS = 60

_ITEM = r"[\w:.+/\-–]+"
_GROUP = re.compile(rf"(?<![!\]])\[({_ITEM}(?:,\s?{_ITEM})*)\](?![(\[:])")
_SEPARATOR = re.compile(r",\s?")
_PRINTED_ITEM = re.compile(r"\d+(?:[–-]\d+)?")
#: Where a reference group stood, among a side's tokens.
_MARK = "\x00"
#: Numbers (`4.3` whole), runs of letters, and the marks.
_TOKEN = re.compile(r"\d+(?:\.\d+)*|[^\W\d_]+|\x00")
_NUMBER = r"(?:\d+(?:\.\d+)* )?"


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation difference; `printed` is the side to keep by default: the side with the
    printed numbers where the other has source keys, the side that has the reference where
    the other has nothing, else None."""

    printed: Side | None


def citation(left_words: Sequence[str], right_words: Sequence[str]) -> Citation | None:
    """The citation difference between two stretches of words, or None if they are not one."""
    if len(left_words) > MAX_WORDS or len(right_words) > MAX_WORDS:
        return None
    if not any("[" in word for word in left_words) and not any("[" in word for word in right_words):
        return None
    left_tokens, left_groups = _read(" ".join(left_words))
    right_tokens, right_groups = _read(" ".join(right_words))
    if not left_groups and not right_groups:
        return None
    left_keyed, right_keyed = _keyed(left_groups), _keyed(right_groups)
    left_rest, right_rest = _spelled(left_tokens), _spelled(right_tokens)
    if left_keyed == right_keyed:
        same = left_rest == right_rest
    else:
        # Each place a key stood on one side may hold a bare number on the other.
        keyed_tokens = left_tokens if left_keyed else right_tokens
        pattern = "".join(_NUMBER if token == _MARK else re.escape(token + " ") for token in keyed_tokens)
        same = re.fullmatch(pattern, right_rest if left_keyed else left_rest) is not None
    if not same:
        return None
    if left_keyed != right_keyed:
        return Citation(Side.RIGHT if left_keyed else Side.LEFT)
    if not left_words or not right_words:
        return Citation(Side.LEFT if left_words else Side.RIGHT)
    return Citation(None)


#: A LaTeX label a converter glued to the title it labels (`RW` of `RWRelated`).
_GLUED_LABEL = re.compile(r"[A-Z][A-Za-z]{0,15}")
#: A section's printed number.
_SECTION = re.compile(r"\d+(?:\.\d+)*\.?")


def glued_label(left_words: Sequence[str], right_words: Sequence[str]) -> Citation | None:
    """A section's label glued to its title's first word on one side (`RWRelated`, as a
    converter writes `\\section{Related Work}\\label{RW}`) against its printed number on the
    other (`2 Related`): a cross-reference's two renderings, the printed one kept."""
    for glued, printed, side in ((left_words, right_words, Side.RIGHT), (right_words, left_words, Side.LEFT)):
        if len(glued) == 1 and len(printed) == 2 and _SECTION.fullmatch(printed[0]):
            word, title = glued[0], printed[1]
            label = word[: -len(title)] if word.endswith(title) else ""
            if label and _GLUED_LABEL.fullmatch(label):
                return Citation(side)
    return None


def _read(text: str) -> tuple[list[str], list[list[str]]]:
    """The text's tokens, a mark where each reference group stood, and the groups' items."""
    groups: list[list[str]] = []

    def take(match: re.Match[str]) -> str:
        inside = match.group(1)
        if len(inside) == 1 and not inside.isdigit():
            return match.group(0)  # a task list's box, `[x]`
        groups.append(_SEPARATOR.split(inside))
        return f" {_MARK} "

    return _TOKEN.findall(_GROUP.sub(take, text).casefold()), groups


def _keyed(groups: list[list[str]]) -> bool:
    """Whether any group holds a key rather than printed numbers."""
    return any(not _PRINTED_ITEM.fullmatch(item) for group in groups for item in group)


def _spelled(tokens: list[str]) -> str:
    """The tokens without the marks, each followed by a space."""
    return "".join(token + " " for token in tokens if token != _MARK)


__all__ = ["MAX_WORDS", "Citation", "citation", "glued_label"]
