"""Normalisation and tokenisation shared by the index builder and the query code.

Index and query must cut text the same way (Pagefind's Chinese failures come from the
two disagreeing), so both sides use these functions, and ``search.js`` mirrors them
line by line: NFKC + lower case, CJK runs cut into overlapping bigrams, Latin letters and
digits kept as whole lower-case tokens.  jieba only adds ranking information (is the
query a whole word here?); it never decides whether a document is found.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

#: CJK ideographs (basic, extension A, compatibility) and 〇.
CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: A run of CJK ideographs or of Latin letters and digits; ``findall`` gives (CJK run,
#: Latin run) pairs, one of them empty.
RUN_RE = re.compile(f"([{CJK_CLASS}]+)|([a-z0-9]+)")
#: Characters that separate query terms besides white space (quotes, brackets).
TERM_SPLIT_RE = re.compile(r"[\s\"'“”‘’「」『』《》()（）【】\[\]]+")


#: Each character of the blocks where Chinese text finds its compatibility characters
#: (full-width forms, CJK punctuation and symbols, general punctuation such as …) that NFKC
#: changes, with what NFKC makes of it.
_NFKC_TABLE = {c: unicodedata.normalize("NFKC", chr(c))
               for lo, hi in ((0xA0, 0x100), (0x2000, 0x2C00), (0x3000, 0x3400), (0xF900, 0xFB00),
                              (0xFE30, 0xFE50), (0xFF00, 0xFFF0))
               for c in range(lo, hi) if unicodedata.normalize("NFKC", chr(c)) != chr(c)}


def normalize(text: str) -> str:
    """NFKC then lower case: full-width digits and Latin fold to ASCII.

    Mapping each character to its own NFKC form leaves a string with the same NFKD, hence
    the same NFKC; when that string is already in NFKC (the usual case) it is the answer,
    found without normalising the whole text (a third of the time).  Otherwise NFKC.
    """
    mapped = text.translate(_NFKC_TABLE)
    if not unicodedata.is_normalized("NFKC", mapped):
        mapped = unicodedata.normalize("NFKC", text)
    return mapped.lower()


def bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def tokens(norm: str) -> list[str]:
    """Index tokens of normalised text: CJK bigrams and Latin/digit words, in order.

    A lone CJK character between non-CJK characters yields no token; queries need two
    characters (the UI says so), as with Lucene's CJK bigram filter without unigrams.
    """
    out: list[str] = []
    for cjk, latin in RUN_RE.findall(norm):
        if cjk:
            out.extend([cjk[i:i + 2] for i in range(len(cjk) - 1)])
        else:
            out.append(latin)
    return out


def query_terms(query: str) -> list[str]:
    """A query's terms (AND-ed): normalised, split on white space, quotes and brackets.

    Terms of punctuation alone are dropped; a term keeps inner punctuation (``3.93``) and
    must then occur with it.
    """
    return [t for t in TERM_SPLIT_RE.split(normalize(query)) if t and RUN_RE.search(t)]


def term_tokens(term: str) -> list[str]:
    """Tokens to look up for one term: enough bigrams to cover it, not every one.

    Every document containing the term contains each of its bigrams, so any subset is a
    superset of the matches; the substring check removes the rest.  Non-overlapping
    bigrams (plus the last one for odd lengths) cover every character, which keeps the
    candidates tight and halves the shards fetched.
    """
    out: list[str] = []
    for run, latin in RUN_RE.findall(term):
        if run:
            if len(run) < 2:
                continue
            picks = list(range(0, len(run) - 1, 2))
            if len(run) % 2 == 1:  # odd length: the last character needs the last bigram
                picks.append(len(run) - 2)
            out.extend(run[i:i + 2] for i in picks)
        else:
            out.append(latin)
    seen: set[str] = set()
    return [t for t in out if not (t in seen or seen.add(t))]


def searchable(term: str) -> bool:
    """A term can be looked up when it yields at least one token."""
    return bool(term_tokens(term))


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr",
                        "blockquote", "figcaption", "section", "article", "pre", "td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of rendered HTML, one block per line, without empty lines."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def plain(value: str) -> str:
    """Metadata value as plain text (titles may carry entities)."""
    return " ".join(html.unescape(value or "").split())


_CJK_TERM_RE = re.compile(f"[{CJK_CLASS}]{{3,}}")


def whole_word_term(term: str) -> bool:
    """Whether ``term`` may have ``w:`` postings (jieba words of three or more CJK characters)."""
    return bool(_CJK_TERM_RE.fullmatch(term))


#: Tokens looked up for one term at first: a long term's covering bigrams are cut to the
#: first, middle and last (each costs one shard per segment); the rest wait for the check.
MAX_LOOKUP = 3


def lookup_tokens(term: str) -> list[str]:
    """The tokens fetched for ``term``: :func:`term_tokens`, at most :data:`MAX_LOOKUP`."""
    toks = term_tokens(term)
    if len(toks) <= MAX_LOOKUP:
        return toks
    return [toks[0], toks[len(toks) // 2], toks[-1]]


def junction_tokens(term: str) -> list[str]:
    """At most two bigrams of ``term`` that :func:`lookup_tokens` does not fetch (the first
    and the last of them), to narrow candidates whose looked-up bigrams do not meet.

    ``人才咖啡`` → ``才咖``: documents with 人才 and 咖啡 apart seldom hold 才咖 too.
    """
    picked = set(lookup_tokens(term))
    skipped: list[str] = []
    for run, _ in RUN_RE.findall(term):
        skipped += [run[i:i + 2] for i in range(len(run) - 1) if run[i:i + 2] not in picked]
    return list(dict.fromkeys(skipped[:1] + skipped[-1:]))
