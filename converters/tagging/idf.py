"""The IDF table (``converters/data/idf.tsv``) that ranks topic terms: rare terms say more.

Built by :mod:`converters.tagging.build_idf`; a term missing from the table (an editor
added it since the last build) gets the table's median, a neutral guess.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from pathlib import Path

from converters.tagging.gazetteer import DATA_DIR

DEFAULT_IDF = DATA_DIR / "idf.tsv"
FALLBACK_IDF = 10.0  # used only when the table is empty or missing


@dataclass
class IdfTable:
    values: dict[str, float] = field(default_factory=dict)
    default: float = FALLBACK_IDF

    def __getitem__(self, term: str) -> float:
        return self.values.get(term, self.default)


def load_idf(path: Path | str = DEFAULT_IDF) -> IdfTable:
    values: dict[str, float] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                values[cols[0]] = float(cols[1])
    except FileNotFoundError:
        return IdfTable()
    default = statistics.median(values.values()) if values else FALLBACK_IDF
    return IdfTable(values, default)
