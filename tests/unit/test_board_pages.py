"""The board, task and project pages' pure parts: cards, filters, history sentences,
conflicts, the edit form's checks and `@name` resolution, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from core.enums import ProjectStatus, Role, TaskPriority, TaskStatus
from core.errors import ValidationFailed
from core.views import ActivityView, MemberView, ProjectView, TaskView, UserView
from dashboards.pages import (
    BoardFilters,
    BoardPage,
    Chrome,
    Column,
    FormState,
    TaskPage,
    card_of,
    conflict_of,
    history_line,
    render_board,
    render_task,
    task_form_values,
)
from webhooks.web.board_filters import parse_board_filters
from webhooks.web.people import resolve_person
from webhooks.web.task_form import read_edit_form

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ORG = uuid.uuid4()


def user(name: str, email: str | None = None) -> UserView:
    return UserView(id=uuid.uuid4(), name=name, email=email, timezone="UTC")


def member(name: str, email: str | None = None) -> MemberView:
    return MemberView(user=user(name, email), organization_id=ORG, role=Role.MEMBER, joined_at=NOW)


def a_task(**changes) -> TaskView:
    fields = dict(
        id=uuid.uuid4(),
        organization_id=ORG,
        project_id=uuid.uuid4(),
        project_key="WEB",
        number=7,
        title="Fix <b>login</b>",
        description="",
        status=TaskStatus.TODO,
        priority=TaskPriority.HIGH,
        assignee=None,
        reporter=None,
        due_at=datetime(2026, 3, 6, 22, 59, tzinfo=UTC),
        started_at=None,
        completed_at=None,
        labels=("bug",),
        version=3,
        created_at=NOW,
        updated_at=NOW,
    )
    return TaskView(**{**fields, **changes})


def a_project() -> ProjectView:
    return ProjectView(
        id=uuid.uuid4(),
        organization_id=ORG,
        key="WEB",
        name="Website",
        description="",
        status=ProjectStatus.ACTIVE,
        created_at=NOW,
        updated_at=NOW,
    )


def chrome() -> Chrome:
    return Chrome(title="Board", csrf_token="token", user_name="Olive", role="member")


def test_a_card_shows_dates_in_the_readers_time_zone():
    card = card_of(a_task(), now=NOW, timezone="Pacific/Auckland")
    assert card.due == "2026-03-07" and card.due_long == "Sat 2026-03-07 11:59"
    assert (card.previous_status, card.next_status) == (None, "in_progress")
    late = card_of(a_task(due_at=datetime(2026, 3, 1, tzinfo=UTC)), now=NOW, timezone="UTC")
    assert late.overdue


def test_the_board_escapes_titles_and_offers_moves_only_when_allowed():
    column = Column(status="todo", cards=(card_of(a_task(), now=NOW, timezone="UTC"),), total=3)
    page = BoardPage(
        project=a_project(),
        columns=(column,),
        timezone="UTC",
        filters=BoardFilters(label="bug"),
        can_move=True,
    )
    html = render_board(chrome(), page)
    assert "Fix &lt;b&gt;login&lt;/b&gt;" in html and "<b>login" not in html
    assert 'name="next" value="/projects/WEB?label=bug"' in html
    assert 'aria-label="Move WEB-7 to In progress"' in html
    assert "and 2 more" in html and 'id="quick-add"' not in html
    read_only = render_board(
        chrome(), BoardPage(project=a_project(), columns=(column,), timezone="UTC")
    )
    assert "data-move" not in read_only and 'draggable="true"' not in read_only


def test_history_names_people_and_the_door():
    mia = user("Mia")
    event = ActivityView(
        id=uuid.uuid4(),
        organization_id=ORG,
        actor=user("Olive"),
        source="slack",
        action="task.assigned",
        entity_type="task",
        entity_id=uuid.uuid4(),
        task_id=None,
        changes={
            "assignee_id": {"from": None, "to": str(mia.id)},
            "due_at": {"from": None, "to": "2026-03-06T22:59:00+00:00"},
            "version": {"from": 1, "to": 2},
        },
        created_at=NOW,
    )
    line = history_line(event, timezone="Europe/Berlin", people={str(mia.id): "Mia"})
    assert (line.who, line.verb, line.door) == ("Olive", "assigned", "from Slack")
    assert line.detail == "Assignee: none → Mia; Due: none → 2026-03-06 23:59"
    assert line.when_text == "2026-03-02 13:00"


def test_a_conflict_lists_only_the_fields_that_differ():
    mia = member("Mia")
    typed = {"title": "Mine", "priority": "low", "assignee": "", "labels": "bug"}
    now = {"title": "Theirs", "priority": "high", "assignee": str(mia.user.id), "labels": "bug"}
    conflict = conflict_of(typed, now, changed_by="Olive", names={str(mia.user.id): "Mia"})
    assert [(d.field, d.yours, d.now) for d in conflict.differences] == [
        ("Title", "Mine", "Theirs"),
        ("Priority", "Low", "High"),
        ("Assignee", "Unassigned", "Mia"),
    ]


def test_the_task_page_is_read_only_without_edit_rights():
    task = a_task()
    page = TaskPage(
        task=task,
        form=FormState("task", task_form_values(task, timezone="UTC")),
        timezone="UTC",
        now=NOW,
    )
    html = render_task(chrome(), page)
    assert 'id="task-form"' not in html and "Your role can read this task" in html
    editable = render_task(chrome(), TaskPage(**{**page.__dict__, "can_edit": True}))
    assert 'id="task-form"' in editable and 'value="2026-03-06"' in editable


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("alice", "Alice Adams"),
        ("ALICE@acme.test", "Alice Adams"),
        ("bo", "Bo Lee"),
        ("me", "Olive"),
    ],
)
def test_a_typed_name_finds_one_member(typed, expected):
    people = [
        member("Alice Adams", "alice@acme.test"),
        member("Bo Lee", "bo@acme.test"),
        member("Olive"),
    ]
    found = resolve_person(typed, members=people, me=people[2].user.id)
    assert found.user.name == expected


def test_an_unknown_or_ambiguous_name_is_refused():
    people = [member("Alex One"), member("Alex Two")]
    with pytest.raises(ValidationFailed, match="could be Alex One, Alex Two"):
        resolve_person("alex", members=people, me=uuid.uuid4())
    with pytest.raises(ValidationFailed, match="Nobody called @zed"):
        resolve_person("@zed", members=people, me=uuid.uuid4())


def test_board_filters_keep_what_names_something():
    mia = member("Mia")
    query = parse_board_filters(
        {
            "assignee": str(mia.user.id),
            "priority": "HIGH",
            "label": "+Bug",
            "overdue": "on",
            "q": " login ",
        },
        members=[mia],
        me=uuid.uuid4(),
    )
    assert query.task_filter == {
        "assignee_id": mia.user.id,
        "priorities": (TaskPriority.HIGH,),
        "label": "bug",
        "overdue": True,
        "text": "login",
    }
    assert (
        query.shown.query() == f"assignee={mia.user.id}&label=bug&priority=high&overdue=1&q=login"
    )
    dropped = parse_board_filters(
        {"assignee": "x", "priority": "soon"}, members=[], me=uuid.uuid4()
    )
    assert dropped.task_filter == {} and "not a member" in (dropped.problem or "")


def test_the_edit_form_checks_every_field_and_reads_dates_in_the_readers_zone():
    task = a_task()
    values = task_form_values(task, timezone="America/New_York")
    edit = read_edit_form(
        {**values, "title": " ", "labels": "ok, bad!", "due_date": "2026-03-09", "due_time": "9:5"},
        task=task,
        people=[],
        timezone="America/New_York",
        now=NOW,
        can_assign=True,
    )
    assert edit.changes is None
    assert set(edit.errors) == {"title", "labels", "due_time"}
    good = read_edit_form(
        {**values, "due_date": "2026-03-09", "due_time": "09:30", "assignee": ""},
        task=task,
        people=[],
        timezone="America/New_York",
        now=NOW,
        can_assign=True,
    )
    assert good.version == 3 and good.errors == {}
    assert good.changes.due_at == datetime(2026, 3, 9, 13, 30, tzinfo=UTC)


def test_an_untouched_past_due_date_is_not_refused():
    task = a_task(due_at=datetime(2026, 1, 1, 10, 0, tzinfo=UTC))
    edit = read_edit_form(
        task_form_values(task, timezone="UTC"),
        task=task,
        people=[],
        timezone="UTC",
        now=NOW,
        can_assign=False,
    )
    assert edit.errors == {} and "due_at" not in edit.changes.given()
    moved = read_edit_form(
        {**task_form_values(task, timezone="UTC"), "due_date": "2026-01-02"},
        task=task,
        people=[],
        timezone="UTC",
        now=NOW,
        can_assign=False,
    )
    assert moved.errors == {"due_date": "Due date is in the past."}
