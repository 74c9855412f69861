"""The web pages' renderers: pure functions of plain data, escaped, with no I/O."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime
from types import SimpleNamespace as Plain

from core.views import ActivityView, UserView
from dashboards.pages import (
    Chrome,
    DashboardView,
    Notice,
    Option,
    OrganizationChoice,
    dashboard_payload,
    render_dashboard,
    render_error,
    render_login,
    render_magic_link,
)
from dashboards.pages.dashboard_data import duration
from dashboards.pages.project import activity_line


def board() -> Plain:
    days = [date(2026, 3, 2), date(2026, 3, 3)]
    return Plain(
        filters=Plain(
            start=days[0],
            end=days[-1],
            timezone="UTC",
            project_id=None,
            assignee_id=None,
            bucket="day",
        ),
        throughput=[Plain(start=d, count=n) for d, n in zip(days, (2, 3), strict=True)],
        cycle_time=Plain(count=5, median_hours=5.5, p85_hours=50.0, p95_hours=None),
        lead_time=Plain(count=5, median_hours=30.0, p85_hours=72.0, p95_hours=96.0),
        created_vs_completed=[
            Plain(start=d, created=c, completed=n)
            for d, c, n in zip(days, (4, 1), (2, 3), strict=True)
        ],
        cumulative_flow=[
            Plain(day=d, by_status={"done": i, "todo": 3 - i}, created_total=3, done_total=i)
            for i, d in enumerate(days)
        ],
        wip={"todo": 2, "in_progress": 1},
        workload=[
            Plain(
                user_id=uuid.uuid4(),
                name="<b>Pat</b>",
                open=2,
                in_progress=1,
                overdue=1,
                completed=4,
            )
        ],
        overdue_by_age=[Plain(label="1-2 days", count=1)],
        by_label=[Plain(name="bug", open=1, done=2)],
        by_priority=[Plain(name="high", open=1, done=0)],
        oldest_open=[
            Plain(
                key="WEB-7",
                title="Old </script> task",
                assignee=None,
                status="in_progress",
                created_at=datetime(2026, 2, 1, tzinfo=UTC),
                age_days=30,
            )
        ],
    )


def chrome(**extra) -> Chrome:
    return Chrome(title="Dashboard", csrf_token="token-1", **extra)


def test_payload_series_and_formatted_numbers():
    payload = dashboard_payload(board())
    assert payload["charts"]["throughput"]["datasets"][0]["data"] == [2, 3]
    assert payload["charts"]["throughput"]["labels"] == ["2026-03-02", "2026-03-03"]
    assert [s["label"] for s in payload["charts"]["cumulative_flow"]["datasets"]] == [
        "To do",
        "Done",
    ]
    assert payload["stats"]["completed"] == 5 and payload["stats"]["wip"] == 3
    assert payload["tables"]["durations"][0][2:] == ["5.5 h", "2.1 d", "—"]
    assert payload["tables"]["oldest_open"][0][0] == {
        "text": "WEB-7",
        "href": "/projects/WEB#task-WEB-7",
    }
    json.dumps(payload)  # plain JSON all the way down


def test_duration_reads_like_people_write_it():
    assert (duration(None), duration(0.25), duration(1.25), duration(47.9), duration(72)) == (
        "—",
        "15 min",
        "1.2 h",
        "47.9 h",
        "3.0 d",
    )


def test_dashboard_escapes_names_and_embeds_safe_json():
    signed_in = chrome(
        user_name="Olive <i>",
        role="owner",
        organization_id="o1",
        organizations=(OrganizationChoice("o1", "Acme & Co", "owner"),),
        live=True,
    )
    view = DashboardView(board=board(), projects=(Option("WEB", "WEB · Web"),), assignees=())
    page = render_dashboard(signed_in, view)
    assert "<b>Pat</b>" not in page and "&lt;b&gt;Pat&lt;/b&gt;" in page
    assert "Olive &lt;i&gt;" in page and "Acme &amp; Co" in page
    embedded = re.search(r'id="dashboard-data">(.*?)</script>', page, re.S).group(1)
    assert "</script>" not in embedded, "a title cannot close the data block"
    assert json.loads(embedded)["tables"]["oldest_open"][0][1] == "Old </script> task"
    assert 'data-live="on"' in page and 'src="/static/dashboards/live.js"' in page
    assert re.search(r"vendor/chart\.umd\.min\.js\?v=[0-9a-f]{12}", page)
    assert "https://" not in page and "http://" not in page, "nothing from another site"
    assert '<th scope="col">' in page and "<caption>" in page


def test_every_form_carries_the_token():
    pages = [
        render_login(chrome(), next_url="/x"),
        render_magic_link(chrome(), token="abc"),
        render_error(chrome(user_name="Olive"), status=403, heading="No", message="Nope"),
    ]
    for page in pages:
        forms = page.count("<form")
        assert forms and page.count('name="csrf_token" value="token-1"') == forms


def test_labels_for_inputs_and_notices():
    page = render_login(chrome(notice=Notice("Signed out")), email='a"b@example.com')
    assert '<label for="email">' in page and 'id="email"' in page
    assert 'value="a&#34;b@example.com"' in page
    assert 'role="status"' in page and "Signed out" in page


def test_activity_lines_say_who_did_what():
    olive = UserView(id=uuid.uuid4(), name="Olive", email=None, timezone="UTC")
    task_id = uuid.uuid4()
    moved = ActivityView(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        actor=olive,
        source="api",
        action="task.moved",
        entity_type="task",
        entity_id=task_id,
        task_id=task_id,
        changes={"status": {"from": "in_progress", "to": "done"}, "version": {"from": 1, "to": 2}},
        created_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )
    line = activity_line(moved, task_keys={task_id: "WEB-1"})
    assert (line.who, line.verb, line.task_key) == ("Olive", "moved", "WEB-1")
    assert line.detail == "Status: In progress → Done"
