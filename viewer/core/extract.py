"""Turning PDF and HTML files into Markdown-ish text that compares like any text file.

PDF text comes from pdfminer.six, one page at a time. Each page is written as its text
blocks separated by blank lines, ends with ``\\n`` and is followed by a form feed, the
layout pdftotext produces, so ``pages[i]`` is where page ``i`` starts and page ``i`` ends
at the form feed before ``pages[i + 1]`` (or the text's final form feed).

HTML keeps the main content only (trafilatura, after our own clean-up): ``# `` headings,
``[text](url)`` links, ``**bold**``, ``*italic*`` and ``![alt](src)`` images. A figure's
caption becomes its own paragraph right after the image, with the photo credit at its
end in bold: ``The mill at low water. **Photo: I. Brandt**``.
"""

from __future__ import annotations

import codecs
import copy
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Extracted", "ExtractionError", "extract", "source_kind_for"]

PDF_MAGIC = b"%PDF-"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

_HTML_SNIFF = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
# Ligature glyphs U+FB00..U+FB06 come out as one character; the other variant has letters.
_LIGATURES = str.maketrans(
    {chr(0xFB00 + i): s for i, s in enumerate(("ff", "fi", "fl", "ffi", "ffl", "st", "st"))}
)
# Control characters other than tab and newline: never text. A form feed would read as a page break.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CID = re.compile(r"\(cid:\d+\)")


class ExtractionError(Exception):
    """A PDF or HTML file whose text cannot be had; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """Text extracted from a PDF or HTML file, ready to be compared like a text file."""

    text: str
    source_kind: str
    pages: tuple[int, ...]
    detail: str


def source_kind_for(path: str, data: bytes) -> str:
    """Tell whether a file is to be read as "pdf", "html" or plain "text"."""
    lower = path.lower()
    if data.startswith(PDF_MAGIC) or lower.endswith(".pdf"):
        return "pdf"
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    if _HTML_SNIFF.match(head):
        return "html"
    return "text"


def extract(data: bytes, source_kind: str, name: str) -> Extracted:
    """Extract comparable text from a file's bytes; raise ExtractionError if there is none."""
    if source_kind == "pdf":
        return _extract_pdf(data, name)
    if source_kind == "html":
        return _extract_html(data, name)
    raise ValueError(f"no extraction for source kind {source_kind!r}")


# --- PDF -----------------------------------------------------------------------------


def _extract_pdf(data: bytes, name: str) -> Extracted:
    """Read every page's text with pdfminer.six, pages ended by form feeds."""
    # Readers tolerate a little junk before the header; anything else is not a PDF.
    if PDF_MAGIC not in data[:1024]:
        raise ExtractionError(f"{name}: not a PDF file (no %PDF- header)")
    import io

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        # The empty password opens files that are encrypted only to restrict printing etc.
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        pdf_pages = list(PDFPage.create_pages(document))
    except PDFPasswordIncorrect:
        raise ExtractionError(f"{name}: encrypted PDF (needs a password)") from None
    except Exception as exc:  # a parser fed arbitrary bytes fails in arbitrary ways
        if "encrypt" in type(exc).__name__.lower() or "crypt" in str(exc).lower():
            raise ExtractionError(f"{name}: encrypted PDF (unsupported encryption)") from None
        raise ExtractionError(f"{name}: damaged or not a valid PDF ({_reason(exc)})") from None
    if not pdf_pages:
        raise ExtractionError(f"{name}: damaged or not a valid PDF (no pages found)")

    # all_texts: text inside form XObjects (embedded figures, stamped pages) counts too.
    laparams = LAParams(all_texts=True)
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=laparams)
    interpreter = PDFPageInterpreter(resources, device)
    texts: list[str] = []
    failed = 0
    for pdf_page in pdf_pages:
        try:
            interpreter.process_page(pdf_page)
            texts.append(_page_text(device.get_result()))
        except Exception:  # one broken page should not lose the rest of the document
            failed += 1
            texts.append("")
    device.close()

    if failed == len(texts):
        raise ExtractionError(f"{name}: damaged PDF (no page could be read)")
    if not any(t.strip("\n\ufffd ") for t in texts):
        raise ExtractionError(f"{name}: no text layer (scanned?)")
    unreadable = sum(t.count("\ufffd") for t in texts)
    if unreadable * 2 > sum(len(t) for t in texts):
        raise ExtractionError(f"{name}: text layer cannot be read (fonts without character codes)")

    offsets: list[int] = []
    out: list[str] = []
    position = 0
    for text in texts:
        offsets.append(position)
        page = (text + "\n" if text else "") + "\f"
        out.append(page)
        position += len(page)
    count = len(texts)
    detail = f"PDF, {count} page{'s' if count != 1 else ''}, text extracted with pdfminer.six"
    empty = sum(1 for t in texts if not t) - failed
    if empty:
        detail += f"; {empty} page{'s' if empty != 1 else ''} without text"
    if failed:
        detail += f"; {failed} page{'s' if failed != 1 else ''} could not be read"
    return Extracted("".join(out), "pdf", tuple(offsets), detail)


def _page_text(layout: Any) -> str:
    """One page's text blocks in reading order, separated by blank lines."""
    from pdfminer.layout import LTFigure, LTTextBox

    blocks: list[str] = []

    def visit(container: Any) -> None:
        for item in container:
            if isinstance(item, LTTextBox):
                block = _clean_pdf_block(item.get_text())
                if block:
                    blocks.append(block)
            elif isinstance(item, LTFigure):
                visit(item)

    visit(layout)
    return "\n\n".join(blocks)


def _clean_pdf_block(text: str) -> str:
    """Normalize one text block: spacing, ligatures, unreadable glyphs, no empty lines."""
    text = _CID.sub("\ufffd", text.translate(_LIGATURES))
    # Some producers (Qt among them) encode word spaces as tabs.
    text = _CONTROL.sub("", text.replace("\t", " "))
    lines = (re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _reason(exc: Exception) -> str:
    """A short readable cause for a parser failure."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "EOF" in message:
        return "the file is truncated"
    if "/Root" in message:
        return "no document catalog"
    message = message.split(" - ")[0]
    return message if len(message) <= 80 else message[:77] + "..."


# --- HTML ----------------------------------------------------------------------------

# Elements whose text a reader never sees as part of the page.
# fmt: off
_INVISIBLE = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
              "button", "select", "textarea", "input", "head")
_BLOCKS = frozenset(("p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
                     "blockquote", "pre", "table", "tr", "td", "th", "figure", "figcaption", "address",
                     "h1", "h2", "h3", "h4", "h5", "h6", "hr", "body"))
# fmt: on
_BOILERPLATE = ("nav", "header", "footer", "aside", "form", "menu", "dialog")
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|attribution|byline", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption", re.IGNORECASE)
_CREDIT_TEXT = re.compile(
    r"(?:(?:Photo(?:graph)?s?|Image|Picture|Illustration|Credit|Video)(?: by|:)|©).*$",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)


def _extract_html(data: bytes, name: str) -> Extracted:
    """Keep a web page's main content as Markdown-ish text."""
    import lxml.etree
    import lxml.html

    text = _CONTROL.sub("", _decode_html(data).replace("\r\n", "\n").replace("\r", "\n"))
    # lxml refuses str input that declares its own encoding.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    if not text.strip():
        raise ExtractionError(f"{name}: no readable text found")
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        raise ExtractionError(f"{name}: no readable text found") from None
    _prepare(tree)
    title = _headline(tree)
    method = "trafilatura"
    markdown = _tidy(_trafilatura(copy.deepcopy(tree)))
    if not re.search(r"\w", markdown):
        method = "a plain walk of the page"
        markdown = _tidy(_walk_markdown(tree))
    if not re.search(r"\w", markdown):
        raise ExtractionError(f"{name}: no readable text found")
    if title and title not in {line.lstrip("#").strip() for line in markdown.splitlines()}:
        # Trafilatura drops a headline that sits outside the article body; a printed page has it.
        markdown = f"# {title}\n\n{markdown}"
    return Extracted(markdown + "\n", "html", (), f"HTML, main content extracted with {method}")


def _decode_html(data: bytes) -> str:
    """Decode a page as a browser would: BOM, then declared charset, then UTF-8, then cp1252."""
    boms = (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    )
    for bom, codec in boms:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii", errors="replace").lower()
        # Browsers read Latin-1 and ASCII declarations as windows-1252, and a UTF-16 one
        # without a byte-order mark as UTF-8 (the page could not have been parsed otherwise).
        if declared in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"):
            declared = "cp1252"
        elif declared.startswith("utf-16"):
            declared = "utf-8"
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _prepare(tree: Any) -> None:
    """Drop what is never shown and turn captions into paragraphs the extractor keeps."""
    import lxml.etree
    import lxml.html

    lxml.etree.strip_elements(
        tree, lxml.etree.Comment, lxml.etree.ProcessingInstruction, *_INVISIBLE, with_tail=False
    )
    for element in list(tree.iter()):
        style = (element.get("style") or "").replace(" ", "").lower()
        if element.get("hidden") is not None or "display:none" in style:
            element.drop_tree()
        elif element.tag == "img" and (element.get("src") or "").startswith("data:"):
            element.drop_tree()  # an inline picture's base64 bytes are not text
        elif element.tag == "a" and (element.get("href") or "").lower().startswith("javascript:"):
            del element.attrib["href"]
    # Trafilatura drops <figcaption>: move caption and credit out of the figure, after it.
    for figure in list(tree.iter("figure")):
        parts = list(figure.iter("figcaption"))
        parts += [el for el in figure.iterdescendants() if _is_credit(el)]
        parts = [el for el in parts if not any(a in parts for a in el.iterancestors())]
        if not parts:
            continue
        paragraph = lxml.html.Element("p")
        for part in parts:
            if part.tag == "figcaption":
                _bold_credits(part)
                part.tag = "span"
            else:
                part.tag = "b"
            part.getparent().remove(part)
            part.tail = " "
            paragraph.append(part)
        figure.addnext(paragraph)
    # Captions outside <figure> (WordPress "wp-caption-text" and the like) become paragraphs.
    for element in list(tree.iter("div", "p", "span", "small")):
        parent = element.getparent()
        if (
            _CAPTION_CLASS.search(element.get("class") or "")
            and parent is not None
            and parent.tag != "p"
            and not element.xpath(".//*[self::img or self::p or self::div or self::ul or self::table]")
        ):
            _bold_credits(element)
            element.tag = "p"


def _is_credit(element: Any) -> bool:
    """Whether an element inside a figure or caption holds the photo credit."""
    return element.tag in ("cite", "small") or bool(_CREDIT_CLASS.search(element.get("class") or ""))


def _bold_credits(caption: Any) -> None:
    """Mark the credit inside a caption bold, by its markup or, in plain text, by its wording."""
    import lxml.html

    marked = False
    for element in list(caption.iterdescendants()):
        if _is_credit(element):
            element.tag, marked = "b", True
    if marked or len(caption) or not caption.text:
        return
    match = _CREDIT_TEXT.search(caption.text)
    if match and match.start() > 0:
        credit = lxml.html.Element("b")
        credit.text = match.group(0).strip()
        caption.text = caption.text[: match.start()]
        caption.append(credit)


def _headline(tree: Any) -> str:
    """The page's headline: the <h1> in the article or main part, else the page's only <h1>."""
    scoped = tree.xpath("//article//h1|//main//h1|//*[@role='main']//h1")
    found = scoped or tree.xpath("//h1")
    if not scoped and len(found) != 1:
        return ""
    return " ".join(str(found[0].text_content()).split())


_TRAFILATURA_OPTIONS: dict[str, Any] = {
    "output_format": "markdown",
    "include_links": True,
    "include_images": True,
    "include_formatting": True,
    "include_tables": True,
    "include_comments": False,
    "with_metadata": False,
    "deduplicate": False,
}


def _trafilatura(tree: Any) -> str:
    """Main content as Markdown by trafilatura, which never touches the network here."""
    import trafilatura
    from trafilatura.settings import DEFAULT_CONFIG

    config = copy.deepcopy(DEFAULT_CONFIG)
    # Short pages (a notice, a one-paragraph post) would otherwise fall back to raw text.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    try:
        result = trafilatura.extract(tree, config=config, **_TRAFILATURA_OPTIONS)
    except Exception:  # an odd tree it cannot handle; the plain walk still reads it
        return ""
    return result or ""


_MARKS = {"b": ("**", "**"), "strong": ("**", "**"), "i": ("*", "*"), "em": ("*", "*")}


def _walk_markdown(tree: Any) -> str:
    """Render the page body minus obvious boilerplate, for pages trafilatura finds nothing in."""
    body = tree.find("body")
    body = tree if body is None else body
    for element in list(body.iter(*_BOILERPLATE)):
        if element.getparent() is not None:
            element.drop_tree()
    blocks: list[str] = []
    current: list[str] = []
    flushes = [0]

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line.strip("#- "):
            blocks.append(line)
        current.clear()
        flushes[0] += 1

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _BLOCKS:
            flush()
        if tag == "img" and element.get("src"):
            flush()
            blocks.append(f"![{element.get('alt') or ''}]({element.get('src')})")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            current.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            current.append("- ")
        start, seen = len(current), flushes[0]
        current.append(element.text or "")
        for child in element:
            walk(child)
        href = element.get("href") if tag == "a" else None
        marks = (("[", f"]({href})") if href else None) or _MARKS.get(tag)
        if marks and seen == flushes[0]:
            raw = "".join(current[start:])
            del current[start:]
            if raw.strip():
                lead = " " if raw[:1].isspace() else ""
                trail = " " if raw[-1:].isspace() else ""
                current.append(f"{lead}{marks[0]}{' '.join(raw.split())}{marks[1]}{trail}")
        if tag in _BLOCKS:
            flush()
        if element is not body:
            current.append(element.tail or "")

    walk(body)
    flush()
    return "\n\n".join(blocks)


def _tidy(markdown: str) -> str:
    """Trailing spaces off, at most one blank line between blocks, no blank edges."""
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
