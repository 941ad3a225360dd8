"""Deciding what a block present on one side only is: title, byline, caption ... or wording."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from viewer.core.document import BOLD, IMAGE, ITALIC, Document
from viewer.core.model import BlockKind, DifferenceKind

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    r"^(?:(?:published|updated|posted|last updated|date)[:\s]+)?(?:[a-z]+day,?\s+)?(?:"
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}(?:[t\s][\d:.]+z?)?"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r")(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:am|pm)?(?:\s+[a-z]{2,4})?)?\.?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|written by|words by|text by|authors?:|reporting by)\s+\S", re.I)
_FOOTER = re.compile(
    r"^(?:(?:original\s+url|source|original\s+(?:article|source)|copyright|all rights reserved|"
    r"this (?:article|story) (?:was|first)|first published|read the original|permalink)\b|©|\(c\)\s)",
    re.I,
)
_CREDIT = re.compile(
    r"(?:\b(?:photo(?:graph)?|image|picture|credit|illustration|source)s?\s*:|\(image credit|"
    r"courtesy of|getty images|\bafp\b\s*(?:photo|/)|\breuters\b\s*/|\bap photo\b|shutterstock|"
    r"/\s*(?:afp|reuters|ap|getty)\b|©)",
    re.I,
)
_BOILERPLATE = re.compile(
    r"^(?:advertisement|advert|sponsored|subscribe|sign up|shares?(?: this)?|read more|"
    r"related(?: articles?)?:?|"
    r"skip to (?:main )?content|cookies?|menu|home|newsletter|log ?in|continue reading|"
    r"page \d+(?: of \d+)?|(?:image|photo|picture|slide) \d+ of \d+|\d{1,4})\b",
    re.I,
)
#: Lines where a web page's footer begins, below the article (see starts_page_footer).
_PAGE_END = re.compile(
    r"^(?:sign up|subscribe|newsletters?|log ?in|related(?: articles?| stories)?|read more|more from|"
    r"share (?:this|on)|follow us|terms (?:and|&) conditions|terms of (?:use|service)|privacy policy|"
    r"cookies? policy|about us|contact us)\b",
    re.I,
)
#: A line pointing to other stories: "Related: ...", "See also: ...".
_RELATED = re.compile(r"(?:related|see also|also read|read more|more on this|recommended)\s*:", re.I)
#: Whole lines that are a site's controls, never a title.
_CHROME = re.compile(
    r"skip to (?:the )?(?:main )?content|skip navigation|advertisement|menu|search|sign in|log ?in|"
    r"sign up|subscribe(?: now)?",
    re.I,
)
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


@dataclass(frozen=True, slots=True)
class BlockPlace:
    """Where a one-sided block stands in its document."""

    index: int
    in_prologue: bool
    in_epilogue: bool


def classify_block(doc: Document, b: int, place: BlockPlace) -> DifferenceKind:
    """The kind of a whole block that the other variant does not have."""
    block = doc.blocks[b]
    words = doc.words[block.first_token : block.end_token]
    text = " ".join(words)
    # Markup a converter left unclosed ("__ Shares") is no word.
    bare = text.lstrip("_* ")
    n = len(words)
    styles = doc.style_of[block.first_token : block.end_token]
    if block.kind is BlockKind.FURNITURE:
        return DifferenceKind.BOILERPLATE
    if block.kind is BlockKind.IMAGE or all(s & IMAGE for s in styles):
        return DifferenceKind.CAPTION
    if n <= 12 and _BYLINE.match(text):
        return DifferenceKind.BYLINE
    if n <= 10 and _DATE.match(text):
        return DifferenceKind.DATE
    if n <= 40 and _FOOTER.match(text):
        return DifferenceKind.FOOTER
    if place.in_epilogue and _is_only_links(doc, block.first_token, block.end_token):
        return DifferenceKind.FOOTER
    if n <= 60 and _looks_like_caption(doc, b, words, styles):
        return DifferenceKind.CAPTION
    if _CHROME.fullmatch(bare) or (n <= 25 and _RELATED.match(bare)):
        return DifferenceKind.BOILERPLATE
    if block.kind is BlockKind.LIST_ITEM and _is_only_links(doc, block.first_token, block.end_token):
        return DifferenceKind.BOILERPLATE  # a box of links to other pages
    if (
        place.in_prologue
        and n <= 25
        and (place.index == 0 or block.kind is BlockKind.HEADING)
        and not _TERMINAL.search(text)
    ):
        return DifferenceKind.TITLE
    if n <= 6 and _BOILERPLATE.match(bare):
        return DifferenceKind.BOILERPLATE
    if n <= 12 and _repeats(doc, b, text):
        return DifferenceKind.BOILERPLATE
    return DifferenceKind.WORDING


def starts_page_footer(doc: Document, b: int) -> bool:
    """Whether a block one side only has, below the article, is where a web page's footer
    begins: a list of links, a copyright line, "Sign up for our newsletter", "Related",
    "Terms and conditions" and such (not a page number, nor a paper's references)."""
    block = doc.blocks[b]
    words = doc.words[block.first_token : block.end_token]
    # Markup a converter left unclosed ("__Sign up ...") is no word.
    text = " ".join(words).lstrip("_*")
    return bool(words) and (
        _FOOTER.match(text) is not None
        or _PAGE_END.match(text) is not None
        or _is_only_links(doc, block.first_token, block.end_token)
    )


def _is_only_links(doc: Document, first: int, end: int) -> bool:
    return all(doc.link_of[i] >= 0 for i in range(first, end))


def _looks_like_caption(doc: Document, b: int, words: list[str], styles: Sequence[int]) -> bool:
    emphasis = BOLD | ITALIC
    # A credit set in bold or italics after the caption text, as picture desks write them.
    if styles and styles[-1] & emphasis and not styles[0] & emphasis and len(words) >= 3:
        return True
    if _CREDIT.search(" ".join(words)):
        return True
    return (b > 0 and doc.blocks[b - 1].kind is BlockKind.IMAGE) or _credit_follows(doc, b)


def _credit_follows(doc: Document, b: int) -> bool:
    """Whether the next block is a picture's credit on a line of its own, as under the
    pictures of a gallery: "(Image credit: NASA)"."""
    if b + 1 >= len(doc.blocks):
        return False
    after = doc.blocks[b + 1]
    words = doc.words[after.first_token : after.end_token]
    return 0 < len(words) <= _CREDIT_WORDS and bool(_CREDIT.match(" ".join(words)))


#: A credit line has at most this many words.
_CREDIT_WORDS = 12


def _repeats(doc: Document, b: int, text: str) -> bool:
    """Running headers and footers: the same short block three times or more."""
    return doc.block_text_counts().get(text, 0) >= 3


def ends_sentence(word: str) -> bool:
    """Whether a word closes a sentence (or a heading-like line ending in a colon)."""
    return bool(_TERMINAL.search(word))


def splits_sentence(before: str, after: str) -> bool:
    """Whether a paragraph break between these two words cuts a sentence in two."""
    if ends_sentence(before):
        return False
    first = after[:1]
    return first.islower() or first in ",;)]"
