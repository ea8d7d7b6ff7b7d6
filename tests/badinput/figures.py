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


class _Summary:
    """Registered once per run: prints the recorded figures in pytest's terminal summary."""

    def __init__(self) -> None:
        self.lines: dict[str, str] = {}

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.lines:
            terminalreporter.section("hardening figures")
            for line in self.lines.values():
                terminalreporter.write_line(line)


def record(config: pytest.Config, name: str, figures: dict) -> None:
    """Write ``figures`` to ``tests/artifacts/hardening/<name>.json`` and show them in the summary."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True),
                                            encoding="utf-8")
    summary = config.pluginmanager.get_plugin("hardening-figures")
    if summary is None:
        summary = _Summary()
        config.pluginmanager.register(summary, "hardening-figures")
    summary.lines[name] = f"{name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()
                                                  if not isinstance(v, dict | list))
