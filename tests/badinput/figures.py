"""Hardening figures: each test records its counts here, printed at the end of the run.

The figures (bad inputs tried, refused, converted with warnings; hypothesis examples;
crash iterations; XSS strings planted and executed) go to ``tests/artifacts/hardening/``
as JSON and into the pytest terminal summary, so a CI log shows them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "hardening"


def record(config: pytest.Config, name: str, figures: dict) -> None:
    """Write ``figures`` to ``tests/artifacts/hardening/<name>.json`` and show them in the log."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True),
                                            encoding="utf-8")
    line = f"[hardening] {name}: " + ", ".join(f"{k}={v}" for k, v in figures.items() if not isinstance(v, dict | list))
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(line)
    else:
        print(line)
