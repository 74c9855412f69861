"""The demo organization looks like eight weeks of real work to the services reading it."""

from datetime import timedelta

from core.clock import utcnow
from core.demo import DEMO_PASSWORD, seed_demo
from core.enums import TaskStatus
from core.services import members, organizations, projects, users
from core.services.task_queries import TaskFilter, count_tasks, list_tasks


async def test_demo_history_is_spread_and_consistent(db):
    summary = await seed_demo(tasks_per_project=60)
    assert summary.created and summary.tasks == 180

    maya = await users.authenticate(email="maya@demo.teamflow.dev", password=DEMO_PASSWORD)
    assert maya is not None
    [(org, role)] = await organizations.list_organizations_for_user(maya.id)
    actor = await members.actor_for(maya.id, org.id)
    assert role.value == "owner"
    assert {p.key for p in await projects.list_projects(actor)} >= {"WEB", "API", "OPS", "INBOX"}

    everything = (await list_tasks(actor, limit=200)).items
    now = utcnow()
    assert len(everything) == 180
    assert min(t.created_at for t in everything) < now - timedelta(weeks=6)
    assert max(t.created_at for t in everything) > now - timedelta(weeks=1)
    done = [t for t in everything if t.status is TaskStatus.DONE]
    assert len(done) > 60
    assert all(t.created_at <= t.completed_at <= now for t in done)
    assert all(t.completed_at is None for t in everything if t.status is not TaskStatus.DONE)
    assert await count_tasks(actor, TaskFilter(open_only=True)) > 10

    again = await seed_demo(tasks_per_project=60)
    assert not again.created and again.tasks == 180
