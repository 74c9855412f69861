"""Prometheus metrics for the web app, served as text at `GET /metrics`.

The app must keep its one `Metrics` at `app.extensions["teamflow_metrics"]` (`attach` does
that); the blueprint reads it from there. Each `Metrics` owns its `CollectorRegistry`
rather than prometheus-client's global one, so several apps in one test process do not
clash over metric names.

Label cardinality stays bounded: `route` is the URL rule (`/api/v1/tasks/<ref>`), never
the raw path, with `"<unmatched>"` for requests that matched no rule; unusual HTTP methods
count as `"OTHER"`; task sources come from a fixed set.

Several workers: under `hypercorn -w 2` each worker process has its own registry, and a
scrape sees only the worker that happened to answer it. For whole-server numbers, point
`PROMETHEUS_MULTIPROC_DIR` at an empty directory (emptied at every start, before Hypercorn
forks) in the environment of the server process. prometheus-client then keeps every sample
in files there, and `render()` sums them across workers with `MultiProcessCollector`.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from quart import Blueprint, Quart, Response, current_app
from quart.wrappers import Request
from quart_schema import hide

EXTENSION_KEY = "teamflow_metrics"
UNMATCHED_ROUTE = "<unmatched>"
TASK_SOURCES = ("api", "slack", "webhook", "web", "scheduler")
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

blueprint = Blueprint("metrics", __name__)


class Metrics:
    """The app's counters and histograms, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests answered, by method, URL rule and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method and URL rule.",
            ["method", "route"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.tasks_created = Counter(
            "teamflow_tasks_created_total",
            "Tasks created, by the door they came through.",
            ["source"],
            registry=self.registry,
        )
        self.tasks_completed = Counter(
            "teamflow_tasks_completed_total",
            "Tasks completed, by the door they came through.",
            ["source"],
            registry=self.registry,
        )
        for source in TASK_SOURCES:
            self.tasks_created.labels(source=source)
            self.tasks_completed.labels(source=source)

    def observe_request(self, *, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in KNOWN_METHODS else "OTHER"
        self.requests.labels(method=method, route=route, status=str(status)).inc()
        self.request_seconds.labels(method=method, route=route).observe(seconds)

    def task_created(self, source: str) -> None:
        self.tasks_created.labels(source=_checked_source(source)).inc()

    def task_completed(self, source: str) -> None:
        self.tasks_completed.labels(source=_checked_source(source)).inc()

    def render(self) -> tuple[bytes, str]:
        """The text exposition format and its content type."""
        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST


def route_label(request: Request) -> str:
    """The URL rule the request matched, so `/items/42` and `/items/43` share one label."""
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE


def attach(app: Quart, metrics: Metrics) -> None:
    app.extensions[EXTENSION_KEY] = metrics


def current_metrics() -> Metrics:
    return current_app.extensions[EXTENSION_KEY]


@blueprint.get("/metrics")
@hide
async def metrics_endpoint() -> Response:
    body, content_type = current_app.extensions[EXTENSION_KEY].render()
    return Response(body, content_type=content_type)


def _checked_source(source: str) -> str:
    if source not in TASK_SOURCES:
        raise ValueError(f"unknown task source {source!r}; expected one of {TASK_SOURCES}")
    return source
