"""Stage 1, read: bytes -> text.

Dumps arrive as UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, with CRLF
or lone CR line ends.  We detect rather than trust, never crash, and say what we guessed.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field

from converters.model import Issue, Severity


class NotText(ValueError):
    """The file is not text (binary, or no encoding we know decodes it): a refusal's code and
    params, for the report (see converters.messages)."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass
class DecodedText:
    text: str
    encoding: str
    issues: list[Issue] = field(default_factory=list)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Characters that never appear in a text dump; a file full of them is binary.
_CONTROL = {c for c in range(32) if c not in (9, 10, 12, 13)}
_CONTROL_BYTES = bytes(sorted(_CONTROL))
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(sample) // 100)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> DecodedText:
    """Decode a dump; raise :class:`NotText` for binary files."""
    issues: list[Issue] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return _finish(body.decode(enc), enc + "-bom", issues)
            except UnicodeDecodeError as exc:
                raise NotText("refused-bad-bom", encoding=enc, reason=exc.reason) from exc
    if _looks_binary(data):
        raise NotText("refused-binary")
    try:
        return _finish(data.decode("utf-8"), "utf-8", issues)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    # A few broken sequences in otherwise valid UTF-8 (a truncated file, a bad copy):
    # keep every good character, replace the bad bytes and report where they were.
    # GB18030 text read as UTF-8 breaks at nearly every Chinese character instead.
    if bad <= max(3, len(lenient) // 1000):
        line = _line_of(data, first_bad)
        issues.append(Issue.of(Severity.WARNING, "invalid-utf8", line, dropped=data[first_bad:first_bad + 8].hex(" "),
                               count=bad))
        return _finish(lenient, "utf-8", issues)
    # GB18030 (a superset of GBK and GB2312) is the other encoding Chinese tools write.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise NotText("refused-encoding", line=_line_of(data, first_bad)) from exc
    issues.append(Issue.of(Severity.INFO, "encoding-guessed"))
    return _finish(text, "gb18030", issues)


def _finish(text: str, encoding: str, issues: list[Issue]) -> DecodedText:
    """Normalise line ends to \\n, drop invisible characters, compose to NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in text for ch in _INVISIBLE_CHARS):  # translate() is slow on CJK text: only when needed
        text = text.translate(_INVISIBLE)
    text = unicodedata.normalize("NFC", text)
    return DecodedText(text=text, encoding=encoding, issues=issues)
