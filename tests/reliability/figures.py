"""What each reliability test tried and what came of it, collected for docs/reliability.md.

A test asks for the `figures` fixture and counts as it goes (`figures.add(requests=1)`);
at the end of the session the conftest writes every test's figures, outcome and
duration as JSON to $TEAMFLOW_RELIABILITY_RESULTS when that is set (the report command
sets it; a plain pytest run writes nothing).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_ENV = "TEAMFLOW_RELIABILITY_RESULTS"

# The figures the report knows how to name, in the order it shows them.
LABELS = {
    "requests": "requests sent",
    "accepted": "accepted (2xx)",
    "refused": "refused as expected (4xx)",
    "server_errors": "5xx",
    "socket_errors": "failed at the socket",
    "unavailable": "503 while a dependency was down",
    "faults": "faults injected",
    "inputs": "inputs tried",
    "writes_checked": "writes checked in the database",
    "digests": "digests posted",
    "lost": "lost",
    "duplicated": "applied twice",
}


@dataclass
class Figures:
    test: str
    section: str
    title: str
    counts: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, **counts: float) -> None:
        for name, value in counts.items():
            self.counts[name] = self.counts.get(name, 0) + value

    def set(self, **values: float) -> None:
        self.counts.update(values)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "section": self.section,
            "title": self.title,
            "counts": self.counts,
            "notes": self.notes,
        }


def write_results(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, sort_keys=True))


def results_path() -> Path | None:
    raw = os.environ.get(RESULTS_ENV)
    return Path(raw) if raw else None
