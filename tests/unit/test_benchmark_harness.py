"""The benchmark harness's own pure helpers (the benchmarks themselves are not tests:
`make bench` runs them)."""

from __future__ import annotations

import pytest

from benchmarks import report
from benchmarks.http_scenarios import summarize
from benchmarks.load import parse_output
from benchmarks.stats import median, percentile, ratio

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:1234/
  2 threads and 32 connections
BENCH_JSON {"requests":1500,"duration_us":3000000,"connect":0,"read":1,"write":0,\
"status":4,"timeout":0,"p50":12000,"p90":20500,"p99":48000,"max":61000,"mean":13000.5}
"""


def test_percentiles_interpolate_between_closest_ranks():
    values = [1, 2, 3, 4, 10]
    assert percentile(values, 50) == 3
    assert percentile(values, 85) == pytest.approx(6.4)
    assert percentile(values, 95) == pytest.approx(8.8)
    assert percentile(values, 0) == 1 and percentile(values, 100) == 10
    assert median([4, 1, 3, 2]) == 2.5


def test_percentile_refuses_nothing_and_out_of_range():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_ratio_is_none_without_a_reference():
    assert ratio(30, 60) == 0.5
    assert ratio(30, 0) is None
    assert ratio(None, 60) is None


def test_wrk_figures_are_read_from_the_json_line():
    result = parse_output(WRK_OUTPUT)
    assert result.requests == 1500
    assert result.requests_per_s == 500.0
    assert (result.p50_ms, result.p90_ms, result.p99_ms) == (12.0, 20.5, 48.0)
    assert result.non_2xx == 4 and result.socket_errors == 1 and result.errors == 5


def test_wrk_output_without_figures_is_an_error():
    with pytest.raises(RuntimeError):
        parse_output("unable to connect to 127.0.0.1:1 Connection refused")


def _run(rps: float, p99: float) -> dict:
    return {
        "requests_per_s": rps,
        "p50_ms": 10.0,
        "p90_ms": 20.0,
        "p99_ms": p99,
        "errors": 0,
        "requests": int(rps * 10),
        "rss_mb": 100.0,
    }


def test_summary_takes_medians_and_the_ratio_of_requests_per_second():
    summary = summarize(
        {
            "teamflow": [_run(300, 80), _run(340, 90)],
            "reference": [_run(500, 30), _run(500, 40)],
        }
    )
    assert summary["teamflow"]["requests_per_s"] == 320
    assert summary["teamflow"]["p99_ms"] == 85
    assert summary["ratio"] == 0.64


def _results() -> dict:
    list_tasks = summarize({"teamflow": [_run(320, 85)], "reference": [_run(500, 40)]})
    return {
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gib": 24.0},
        "run": {"started_at": "2026-01-01 00:00 UTC", "load_average_at_start": [0.5, 0.4, 0.3]},
        "seed": {"tasks": 1000, "seconds": 1.0},
        "scenarios": {
            "list_tasks": {"title": "GET /api/v1/tasks", "workers": {"2": list_tasks}},
            "digests": {
                "variants": {
                    "no_429": {
                        "posted": 1000,
                        "seconds": 12.5,
                        "digests_per_s": 80.0,
                        "rate_limited": 0,
                        "queries_per_digest": 13.0,
                    }
                }
            },
            "analytics": {
                "view_models": {
                    "throughput": {"p50_ms": 10, "p95_ms": 20, "max_ms": 30, "queries": 1},
                    "manager_dashboard": {
                        "p50_ms": 500,
                        "p95_ms": 600,
                        "max_ms": 700,
                        "queries": 9,
                    },
                }
            },
        },
    }


def test_targets_are_checked_per_worker_count_and_scenario():
    found = {(t.scenario, t.what): t.met for t in report.targets(_results())}
    assert found[("list_tasks", "2w: >= 0.6 x reference req/s")] is True
    assert found[("list_tasks", "2w: p99 < 100 ms")] is True
    assert found[("digests", ">= 100 digests/s (no 429s)")] is False
    # The whole dashboard is shown but the target applies to each view model.
    assert found[("analytics", "every view model p95 < 250 ms")] is True


def test_the_readme_block_is_replaced_between_its_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmarks\n\nintro\n\n{report.START}\nold\n{report.END}\n\nafter\n")
    block = report.render(_results())
    report.update_readme(readme, block)
    text = readme.read_text()
    assert "old" not in text and "intro" in text and "after" in text
    assert "| list_tasks | 2w: >= 0.6 x reference req/s | 0.640x | yes |" in text
    assert "Test CPU, 2 cores" in text and "0.50 0.40 0.30" in text
