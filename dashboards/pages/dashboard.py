"""The manager dashboard page: filters, key numbers, charts and tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboards.pages.chrome import Chrome
from dashboards.pages.dashboard_data import dashboard_payload
from dashboards.pages.environment import render

BUCKETS = (("day", "Day"), ("week", "Week"))


@dataclass(frozen=True)
class Option:
    value: str
    text: str


@dataclass(frozen=True, kw_only=True)
class DashboardView:
    """The analytics result and what the filter form offers and has selected."""

    board: Any  # dashboards.analytics.ManagerDashboard
    projects: tuple[Option, ...]
    assignees: tuple[Option, ...]
    project: str = ""
    assignee: str = ""
    problem: str | None = None


def render_dashboard(chrome: Chrome, view: DashboardView) -> str:
    """The whole dashboard page; its charts are drawn by dashboard.js from the payload."""
    payload = dashboard_payload(view.board)
    return render(
        "dashboard.html",
        chrome=chrome,
        view=view,
        payload=payload,
        filters=payload["filters"],
        buckets=BUCKETS,
    )
