"""Stage 5, reflow: body blocks -> paragraphs.

A block that ends mid-sentence continues in the next body block (the column was cut
there); a word the layout tool repeated across the cut (扩大 / 扩大到) is written once.
Full-width punctuation is restored in every piece of Chinese text.
"""

from __future__ import annotations

from converters.model import Article, Kind, Page, Paragraph
from converters.punctuation import restore
from converters.textutil import complete, is_cjk, starts_mid_sentence


def doubled_prefix(left: str, right: str, longest: int = 6) -> int:
    """Length of a Chinese word that ends ``left`` and starts ``right`` again (0 if none)."""
    for k in range(min(longest, len(left), len(right)), 1, -1):
        piece = left[-k:]
        if piece == right[:k] and all(is_cjk(c) for c in piece):
            return k
    return 0


def _later_text(art: Article) -> tuple[str, list[int]]:
    """The story's text without spaces, joined as reflow joins column cuts, and where each
    block starts in it (for the pull-quote test: what follows a block)."""
    joined, starts = "", []
    for b in art.body:
        starts.append(len(joined))
        if b.kind is not Kind.SUBHEAD:
            piece = _squash(b.running_text)
            joined += piece[doubled_prefix(joined, piece):]
    starts.append(len(joined))
    return joined, starts


_PULL_QUOTE_MIN = 20  # characters: a pull-quote is a sentence; a shorter match is chance


def _quoted_later(later: tuple[str, list[int]], last: int, text: str) -> bool:
    """Is ``text`` (the open paragraph, up to block ``last``) repeated after it in the story?
    A pull-quote (提要) set above the text repeats a sentence of it without its full stop: a
    paragraph of its own, not the first half of a column cut.  (Only what follows counts:
    the quoted sentence itself, cut by a column further down, is not a pull-quote.)"""
    text = _squash(text)
    return len(text) >= _PULL_QUOTE_MIN and text in later[0][later[1][last + 1]:]


def _pull_quote_ends(art: Article, later: tuple[str, list[int]], index: int, text: str) -> bool:
    """The open paragraph is a pull-quote that ends here: it is repeated later in the story,
    and would no longer be with the next block (so the next is not the rest of a quote cut)."""
    if not _quoted_later(later, index, text):
        return False
    nxt = art.body[index + 1] if index + 1 < len(art.body) else None
    if nxt is None or nxt.kind is not Kind.BODY:
        return True
    return not _quoted_later(later, index + 1, text + nxt.text[doubled_prefix(text, nxt.text):])


def _squash(text: str) -> str:
    return "".join(text.split())


def reflow_article(art: Article, page: Page) -> None:
    paragraphs: list[Paragraph] = []
    open_para: Paragraph | None = None  # a paragraph still waiting for its sentence's end
    later: tuple[str, list[int]] | None = None  # made when a paragraph first stays open
    for index, b in enumerate(art.body):
        if b.kind is Kind.SUBHEAD:
            paragraphs.append(Paragraph(text=restore(b.text), line=b.line, subhead=True))
            open_para = None
            continue
        text = b.running_text
        if not text:
            continue
        if open_para is not None and b.kind is Kind.BODY and not b.whole:
            k = doubled_prefix(open_para.text, text)
            if k:
                page.warn("doubled-word-removed", b.line, dropped=text[:k], word=text[:k])
                text = text[k:]
            open_para.text += text
        else:
            open_para = Paragraph(text=text, line=b.line)
            paragraphs.append(open_para)
        if b.whole or complete(open_para.text):
            open_para = None
        elif len(open_para.text) >= _PULL_QUOTE_MIN:
            later = later or _later_text(art)
            if _pull_quote_ends(art, later, index, open_para.text):
                open_para = None
    for p in paragraphs:
        p.text = restore(p.text)
    art.paragraphs = paragraphs
    for field_name in ("title", "kicker", "subtitle", "column", "caption"):
        setattr(art, field_name, restore(getattr(art, field_name)))
    body = [p for p in paragraphs if not p.subhead]
    if body and starts_mid_sentence(body[0].text) and not art.continued_from:
        page.warn("body-starts-mid-sentence", body[0].line, text=body[0].text[:12])
    if body and not complete(body[-1].text) and art.continued_on is None:
        page.warn("body-ends-mid-sentence", body[-1].line, text=body[-1].text[-12:])


def reflow(articles: list[Article], page: Page) -> list[Article]:
    for art in articles:
        reflow_article(art, page)
    return articles
