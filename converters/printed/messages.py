"""What the printed-page stage tells the editor, in Chinese and English (its codes' templates,
added to :data:`converters.messages.MESSAGES` when the stage is imported)."""

from __future__ import annotations

from converters import messages

#: code -> (中文, English); ``{name}`` fields are the issue's params.
PRINTED_MESSAGES: dict[str, tuple[str, str]] = {
    "print-unreadable": ("{file} 无法使用（{reason}）：本版不显示版面图，稿件照常转换",
                         "{file} cannot be used ({reason}); the page is shown without its picture (its articles "
                         "are converted as usual)"),
    "print-several-pages": ("{file} 有 {pages} 页：取第一页作为本版（每版一个 PDF，与版面文件同名）",
                            "{file} has {pages} pages; the first is taken as this page (one PDF per page, named "
                            "like its dump)"),
    "print-text-mismatch": ("{file}：本版 {stories} 篇稿件都不在 PDF 的文字层里（是别的版的 PDF 吗？）：没有文章热区",
                            "{file}: none of the page's {stories} stories is in the PDF's text layer (is it this "
                            "page's PDF?); no regions"),
    "print-story-not-found": ("{file}：PDF 的文字层里找不到《{title}》：这篇稿件在版面图上没有热区",
                              "{file}: the text of 「{title}」 is not in the PDF's text layer; the story has no "
                              "region on the page picture"),
    "print-no-text-layer": ("{file} 没有文字层（扫描件？）：版面图不带文章热区",
                            "{file} has no text layer (a scanned page?): the page picture is shown without story "
                            "regions"),
    "print-several-sources": ("以 {file} 为本版的版面；旁边的 {ignored} 不用",
                              "{file} is the page's print source; {ignored} beside it ignored"),
    "print-article-unreadable": ("{reason}：不在版面图上匹配", "{reason}; not matched on the page picture"),
    "print-hand-edited-kept": ("{file} 已被手工修改：保持原样（--force 覆盖）",
                               "{file} was changed by hand since the converter wrote it: left as it is (--force "
                               "overwrites)"),
}
messages.MESSAGES.update(PRINTED_MESSAGES)


def issue(code: str, severity: str = "warning", **params: object) -> dict:
    """A report entry (as ``Issue.as_dict`` makes them): the sentence is made from code and params."""
    return {"severity": severity, "code": code, "line": 0, "message": messages.render(code, params),
            "params": params}


def summary_line(pages: list[dict], lang: str | None = None) -> str:
    """The run's line about printed pages ("" when no page has one)."""
    printed = [p["print"] for p in pages if p.get("print")]
    if not printed:
        return ""
    made = sum(1 for p in printed if p.get("made"))
    bad = sum(1 for p in printed if not p.get("usable"))
    regions = sum(p.get("regions", 0) for p in printed)
    if (lang or messages.language()) == "zh":
        return (f"版面图 {len(printed)} 版：新做 {made}，未变 {len(printed) - made - bad}，无法使用 {bad}；"
                f"文章热区 {regions} 个")
    return (f"{len(printed)} printed pages: {made} pictures made, {len(printed) - made - bad} unchanged, "
            f"{bad} unusable; {regions} story regions")
