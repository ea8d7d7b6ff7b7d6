"""The gazetteer: places an article can be tagged with, read from ``converters/data/gazetteer.tsv``.

A place is known by several surfaces (绍兴市, 绍兴); the tag is always its short name, so
the site gets one page per place however the article spelled it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_GAZETTEER = DATA_DIR / "gazetteer.tsv"

KINDS = ("province", "prefecture", "county", "country", "foreign-city")


@dataclass(frozen=True)
class Place:
    name: str  # official full name: 富阳区
    short: str  # the tag: 富阳
    kind: str  # one of KINDS
    parent: str = ""  # short name one level up: 杭州
    aliases: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()

    @property
    def ambiguous(self) -> bool:
        """The short name is also an ordinary word (西湖, 天台): it needs the full name nearby."""
        return "ctx" in self.flags


@dataclass(frozen=True)
class Surface:
    """One way of writing a place, as matched against a jieba word."""

    place: Place
    full: bool  # the official name or an alias, as opposed to the (maybe ambiguous) short name


@dataclass
class Gazetteer:
    places: dict[str, Place] = field(default_factory=dict)  # by short name
    surfaces: dict[str, Surface] = field(default_factory=dict)

    def get(self, short: str) -> Place | None:
        return self.places.get(short)

    def parent_of(self, place: Place) -> Place | None:
        return self.places.get(place.parent) if place.parent else None

    def words(self) -> list[str]:
        """Every surface, for jieba's user dictionary."""
        return sorted(self.surfaces)


def parse_gazetteer(lines) -> Gazetteer:
    """Parse the TSV; later surfaces never steal an earlier place's full name."""
    gaz = Gazetteer()
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t") + [""] * 6
        name, short, kind, parent, aliases, flags = (c.strip() for c in cols[:6])
        if kind not in KINDS or not name:
            raise ValueError(f"gazetteer line {lineno}: bad kind {kind!r} or empty name")
        short = short or name
        if short in gaz.places:
            raise ValueError(f"gazetteer line {lineno}: short name {short!r} is used twice")
        place = Place(name=name, short=short, kind=kind, parent=parent,
                      aliases=tuple(a for a in aliases.split("|") if a),
                      flags=frozenset(f for f in flags.split(",") if f))
        gaz.places[short] = place
        for surface in (name, *place.aliases):
            gaz.surfaces.setdefault(surface, Surface(place, full=True))
        gaz.surfaces.setdefault(short, Surface(place, full=short == name))
    for place in gaz.places.values():
        if place.parent and place.parent not in gaz.places:
            raise ValueError(f"gazetteer: {place.name}'s parent {place.parent!r} is not in the file")
    return gaz


def load_gazetteer(path: Path | str = DEFAULT_GAZETTEER) -> Gazetteer:
    with open(path, encoding="utf-8") as f:
        return parse_gazetteer(f)
