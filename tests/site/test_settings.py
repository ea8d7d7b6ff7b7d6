"""Every EPAPER_*/SEARCH_* setting once: in plugins/epaper_site/settings.py and in docs/settings.md."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from epaper_site import settings as S  # noqa: E402

NAME = re.compile(r"\b((?:EPAPER|SEARCH)_[A-Z][A-Z_]*[A-Z])\b")


def _code_names() -> set[str]:
    """The setting and variable names the house's code, settings files and templates spell out."""
    files = [*ROOT.glob("plugins/**/*.py"), *ROOT.glob("tools/*.py"), *ROOT.glob("converters/**/*.py"),
             *ROOT.glob("epaper_contract/*.py"), ROOT / "pelicanconf.py", ROOT / "publishconf.py",
             *ROOT.glob("theme/templates/**/*.html"), ROOT / "Makefile"]
    names: set[str] = set()
    for f in files:
        if f.name == "settings.py" and f.parent.name == "epaper_site":
            continue
        names.update(NAME.findall(f.read_text(encoding="utf-8")))
    return names


def test_every_name_the_code_reads_is_listed_with_a_meaning() -> None:
    listed = set(S.ALL) | set(S.ENVIRONMENT)
    missing = sorted(_code_names() - listed)
    assert missing == [], f"add these to plugins/epaper_site/settings.py and docs/settings.md: {missing}"
    assert all(s.meaning.strip() for s in S.ALL.values()) and all(m.strip() for m in S.ENVIRONMENT.values())


def test_docs_list_every_setting_with_its_default() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `([A-Z_]+)` \| (`[^|]*`) \|", doc, re.M)}
    for name, s in S.ALL.items():
        want = "`None`" if s.default is None else (f'`"{s.default}"`' if isinstance(s.default, str)
                                                   else f"`{json.dumps(s.default, ensure_ascii=False)}`")
        assert rows.get(name) == want, f"docs/settings.md: {name} should read {want}"
    for name in S.ENVIRONMENT:
        assert f"| `{name}` |" in doc, f"docs/settings.md lacks the variable {name}"


def test_get_falls_back_to_the_one_default_and_refuses_unknown_names() -> None:
    assert S.get({}, "EPAPER_PER_PAGE") == 50
    assert S.get({"EPAPER_PER_PAGE": 20}, "EPAPER_PER_PAGE") == 20
    assert S.get({}, "EPAPER_CITY_URL") == "city/{slug}/"
    with pytest.raises(KeyError):
        S.get({}, "EPAPER_NO_SUCH_SETTING")
