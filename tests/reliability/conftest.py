"""Reliability suite: real TeamFlow processes under load and faults, and hostile input.

Two passes, like the rest of the suite (scripts/test). Tests marked `postgres_pass`
need PostgreSQL and Redis (several processes on one database, a database restart): in
the SQLite pass they are deselected and listed at the end of the run with the reason;
in the PostgreSQL + Redis pass a skip of one of them counts as a failure, so they cannot
silently stop running. Everything listens on 127.0.0.1 only and every wait is bounded.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests import settings
from tests.reliability.figures import Figures, results_path, write_results
from tests.reliability.processes import TeamFlowProcess
from tests.reliability.services import PrivateRedis

POSTGRES_PASS = "postgres_pass"
POSTGRES_REASON = (
    "needs PostgreSQL and Redis (several TeamFlow processes on one database, or a database "
    "restart); runs in the PostgreSQL + Redis pass of scripts/test"
)
HERE = Path(__file__).resolve().parent
SECTIONS = {
    "test_load": "Load",
    "test_faults": "Faults",
    "test_hostile": "Hostile input",
}

_deselected: list[str] = []
_results: dict[str, dict] = {}
_started = time.time()


def pass_name() -> str:
    return "postgres" if settings.uses_postgres() else "sqlite"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{POSTGRES_PASS}: {POSTGRES_REASON}")


def _ours(item: pytest.Item) -> bool:
    return Path(str(item.path)).resolve().is_relative_to(HERE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if settings.uses_postgres():
        return
    keep, drop = [], []
    for item in items:
        (drop if _ours(item) and item.get_closest_marker(POSTGRES_PASS) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        _deselected.extend(item.nodeid for item in drop)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if not _ours(item):
        return report
    if (
        settings.uses_postgres()
        and item.get_closest_marker(POSTGRES_PASS)
        and report.skipped
        and report.when in ("setup", "call")
    ):
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} must run in the PostgreSQL + Redis pass but was skipped: "
            f"{report.longrepr}"
        )
    entry = _results.setdefault(item.nodeid, {"outcome": "passed", "duration_s": 0.0})
    entry["duration_s"] = round(entry["duration_s"] + report.duration, 2)
    if hasattr(report, "wasxfail"):
        entry["outcome"] = "xfailed" if report.skipped else "xpassed"
        entry["known_gap"] = report.wasxfail.removeprefix("reason: ")
    elif report.failed or (report.skipped and entry["outcome"] == "passed"):
        entry["outcome"] = report.outcome
    item.stash[_REPORTS] = [*item.stash.get(_REPORTS, []), report]
    return report


_REPORTS = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter) -> None:
    if _deselected:
        terminalreporter.section("reliability: not in this pass")
        terminalreporter.write_line(f"{len(_deselected)} test(s) {POSTGRES_REASON}:")
        for nodeid in _deselected:
            terminalreporter.write_line(f"  {nodeid}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    path = results_path()
    if path is None or not _results:
        return
    write_results(
        path,
        {
            "pass": pass_name(),
            "started": _started,
            "duration_s": round(time.time() - _started, 1),
            "tests": _results,
            "not_in_this_pass": {"reason": POSTGRES_REASON, "tests": _deselected},
        },
    )


def _section(item: pytest.Item) -> str:
    module = Path(str(item.path)).stem
    return next((name for prefix, name in SECTIONS.items() if module.startswith(prefix)), "Other")


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    """Counts a test records for the report (requests, faults, inputs, lost, ...)."""
    item = request.node
    doc = (getattr(item, "function", None) and item.function.__doc__) or item.name
    title = " ".join(doc.strip().split("\n\n")[0].split())
    found = Figures(test=item.nodeid, section=_section(item), title=title)
    yield found
    _results.setdefault(item.nodeid, {"outcome": "passed", "duration_s": 0.0})
    _results[item.nodeid]["figures"] = found.as_dict()


@pytest.fixture
async def processes(
    request: pytest.FixtureRequest,
) -> AsyncIterator[list[TeamFlowProcess | PrivateRedis]]:
    """Processes and servers a test starts: all stopped at the end (last started first),
    and each TeamFlow process's log shown when the test failed."""
    started: list[TeamFlowProcess | PrivateRedis] = []
    yield started
    for process in reversed(started):
        await process.stop()
    reports = request.node.stash.get(_REPORTS, [])
    if any(report.failed for report in reports):
        for process in started:
            if isinstance(process, TeamFlowProcess):
                print(f"\n--- {process.name} log (last lines) ---\n{process.log_tail(80)}")


@pytest.fixture
async def fake_slack():
    """A fake Slack Web API on 127.0.0.1 with four people in the workspace."""
    from tests.fakes.slack_api import FakeSlack

    fake = FakeSlack()
    for number, (name, tz) in enumerate(
        [("alice", "Europe/Berlin"), ("bob", "America/New_York"), ("carol", "UTC"), ("dan", "UTC")],
        start=1,
    ):
        fake.add_user(
            f"U{number}",
            name=name,
            real_name=name.title(),
            email=f"{name}@acme.test",
            tz=tz,
        )
    await fake.start()
    yield fake
    await fake.stop()
