import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from quart import Quart, request
from quart_schema import QuartSchema

from webhooks import metrics as metrics_module
from webhooks.metrics import Metrics, attach, route_label

ROOT = Path(__file__).resolve().parents[2]


def build_app(metrics: Metrics) -> Quart:
    app = Quart("t")
    attach(app, metrics)
    app.register_blueprint(metrics_module.blueprint)

    @app.get("/items/<item_id>")
    async def item(item_id: str) -> str:
        metrics.observe_request(
            method=request.method, route=route_label(request), status=200, seconds=0.02
        )
        return item_id

    return app


async def scrape(app: Quart) -> str:
    response = await app.test_client().get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    return await response.get_data(as_text=True)


def sample(text: str, name: str, **labels: str) -> float | None:
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return None


async def test_observed_requests_appear_with_their_labels():
    metrics = Metrics()
    metrics.observe_request(method="POST", route="/api/v1/tasks", status=201, seconds=0.03)
    metrics.observe_request(method="POST", route="/api/v1/tasks", status=201, seconds=0.2)
    metrics.observe_request(method="POST", route="/api/v1/tasks", status=422, seconds=0.004)

    text = await scrape(build_app(metrics))

    count = "http_requests_total"
    assert sample(text, count, method="POST", route="/api/v1/tasks", status="201") == 2
    assert sample(text, count, method="POST", route="/api/v1/tasks", status="422") == 1
    duration = {"method": "POST", "route": "/api/v1/tasks"}
    assert sample(text, "http_request_duration_seconds_count", **duration) == 3
    assert sample(text, "http_request_duration_seconds_sum", **duration) == pytest.approx(0.234)
    bucket = "http_request_duration_seconds_bucket"
    assert sample(text, bucket, **duration, le="0.005") == 1
    assert sample(text, bucket, **duration, le="0.05") == 2
    assert sample(text, bucket, **duration, le="0.25") == 3
    assert sample(text, bucket, **duration, le="10.0") == 3


async def test_a_route_is_labelled_by_its_rule_not_its_path():
    app = build_app(Metrics())
    client = app.test_client()
    await client.get("/items/42")
    await client.get("/items/43")

    text = await scrape(app)

    labels = {"method": "GET", "route": "/items/<item_id>", "status": "200"}
    assert sample(text, "http_requests_total", **labels) == 2
    assert "/items/42" not in text


async def test_a_request_that_matched_no_rule_is_unmatched():
    app = build_app(Metrics())
    async with app.test_request_context("/nowhere/42"):
        assert route_label(request) == "<unmatched>"
    async with app.test_request_context("/items/42"):
        assert route_label(request) == "/items/<item_id>"


async def test_an_unusual_method_is_counted_as_other():
    metrics = Metrics()
    metrics.observe_request(method="BREW", route="<unmatched>", status=405, seconds=0.001)

    text = await scrape(build_app(metrics))

    labels = {"method": "OTHER", "route": "<unmatched>", "status": "405"}
    assert sample(text, "http_requests_total", **labels) == 1


async def test_tasks_are_counted_by_source_and_every_source_starts_at_zero():
    metrics = Metrics()
    metrics.task_created("slack")
    metrics.task_created("slack")
    metrics.task_created("api")
    metrics.task_completed("scheduler")

    text = await scrape(build_app(metrics))

    assert sample(text, "teamflow_tasks_created_total", source="slack") == 2
    assert sample(text, "teamflow_tasks_created_total", source="api") == 1
    assert sample(text, "teamflow_tasks_created_total", source="web") == 0
    assert sample(text, "teamflow_tasks_completed_total", source="scheduler") == 1
    assert sample(text, "teamflow_tasks_completed_total", source="webhook") == 0


def test_an_unknown_task_source_is_refused():
    with pytest.raises(ValueError, match="email"):
        Metrics().task_created("email")


async def test_two_apps_in_one_process_keep_separate_counts():
    first, second = Metrics(), Metrics()
    first.task_created("web")

    first_text = await scrape(build_app(first))
    second_text = await scrape(build_app(second))

    assert sample(first_text, "teamflow_tasks_created_total", source="web") == 1
    assert sample(second_text, "teamflow_tasks_created_total", source="web") == 0


WORKER = """
from webhooks.metrics import Metrics
Metrics().observe_request(method="GET", route="/health", status=200, seconds=0.01)
"""
SCRAPER = """
import sys
from webhooks.metrics import Metrics
body, _ = Metrics().render()
sys.stdout.write(body.decode())
"""


def test_multiprocess_mode_sums_every_worker(tmp_path):
    """Each script run stands for one Hypercorn worker; the scrape sees both."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def run(script: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True
        )
        return done.stdout.decode()

    run(WORKER)
    run(WORKER)
    text = run(SCRAPER)

    labels = {"method": "GET", "route": "/health", "status": "200"}
    assert sample(text, "http_requests_total", **labels) == 2


async def test_the_metrics_route_stays_out_of_the_openapi_document():
    app = build_app(Metrics())
    QuartSchema(app, swagger_ui_path=None, redoc_ui_path=None, scalar_ui_path=None)

    document = await (await app.test_client().get("/openapi.json")).get_json()

    assert "/metrics" not in document["paths"]
    assert "/items/{item_id}" in document["paths"]
