"""The paper registry: one ``raw/<slug>/paper.toml`` per paper.

A site serves one paper; the converter and the site both look it up here by slug.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Paper:
    slug: str
    name: str
    name_en: str = ""
    publisher: str = ""
    cn: str = ""
    postal_code: str = ""
    sections: dict[int, str] = field(default_factory=dict)


def load_paper(raw_root: Path, slug: str) -> Paper:
    """Read ``raw_root/slug/paper.toml``; a missing file gives a bare Paper named by its slug."""
    path = Path(raw_root) / slug / "paper.toml"
    if not path.is_file():
        return Paper(slug=slug, name=slug)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sections = {int(k): str(v) for k, v in (data.get("sections") or {}).items()}
    return Paper(
        slug=slug,
        name=str(data.get("name", slug)),
        name_en=str(data.get("name_en", "")),
        publisher=str(data.get("publisher", "")),
        cn=str(data.get("cn", "")),
        postal_code=str(data.get("postal_code", "")),
        sections=sections,
    )


def known_papers(raw_root: Path) -> dict[str, Paper]:
    """Every paper with a folder under ``raw_root``, by slug."""
    root = Path(raw_root)
    if not root.is_dir():
        return {}
    return {p.name: load_paper(root, p.name) for p in sorted(root.iterdir()) if p.is_dir()}
