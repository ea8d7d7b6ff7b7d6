"""Stage 5, reflow: body blocks -> paragraphs.

A block that ends mid-sentence continues in the next body block (the column was cut
there); a word the layout tool repeated across the cut (扩大 / 扩大到) is written once.
Full-width punctuation is restored in every piece of Chinese text.
"""

from __future__ import annotations

from converters.model import Article, Kind, Page, Paragraph
from converters.punctuation import restore
from converters.textutil import ends_sentence, is_cjk, starts_mid_sentence


def doubled_prefix(left: str, right: str, longest: int = 6) -> int:
    """Length of a Chinese word that ends ``left`` and starts ``right`` again (0 if none)."""
    for k in range(min(longest, len(left), len(right)), 1, -1):
        piece = left[-k:]
        if piece == right[:k] and all(is_cjk(c) for c in piece):
            return k
    return 0


def reflow_article(art: Article, page: Page) -> None:
    paragraphs: list[Paragraph] = []
    open_para: Paragraph | None = None  # a paragraph still waiting for its sentence's end
    for b in art.body:
        if b.kind is Kind.SUBHEAD:
            paragraphs.append(Paragraph(text=restore(b.text), line=b.line, subhead=True))
            open_para = None
            continue
        text = b.data.get("rest", b.text) if b.kind is Kind.LEAD else b.text
        if not text:
            continue
        if open_para is not None and b.kind is Kind.BODY:
            k = doubled_prefix(open_para.text, text)
            if k:
                page.warn("doubled-word-removed", f"word {text[:k]!r} repeated across a column cut, "
                          "written once", b.line, dropped=text[:k])
                text = text[k:]
            open_para.text += text
        else:
            open_para = Paragraph(text=text, line=b.line)
            paragraphs.append(open_para)
        if ends_sentence(open_para.text):
            open_para = None
    for p in paragraphs:
        p.text = restore(p.text)
    art.paragraphs = paragraphs
    for field_name in ("title", "kicker", "subtitle", "column", "caption"):
        setattr(art, field_name, restore(getattr(art, field_name)))
    body = [p for p in paragraphs if not p.subhead]
    if body and starts_mid_sentence(body[0].text) and not art.continued_from:
        page.warn("body-starts-mid-sentence", "body starts mid-sentence: its opening is not in this "
                  f"dump ({body[0].text[:12]}…)", body[0].line)
    if body and not ends_sentence(body[-1].text) and art.continued_on is None:
        page.warn("body-ends-mid-sentence", f"body ends mid-sentence (…{body[-1].text[-12:]}) "
                  "and no jump line says where it continues", body[-1].line)


def reflow(articles: list[Article], page: Page) -> list[Article]:
    for art in articles:
        reflow_article(art, page)
    return articles
