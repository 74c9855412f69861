"""kill -9 of a web process in the middle of webhook load: what got a 2xx is processed,
nothing is applied twice.

PostgreSQL + Redis pass: two web processes take turns; one is killed and the load goes
on against the survivor. SQLite pass (one process is the embedded setup): the process is
killed and started again on the same port, as a supervisor would. Afterwards every
delivery that never got an answer is sent again with its delivery id, as GitHub's
redelivery does, and must be accepted without being applied twice.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from core.models import WebhookDelivery
from tests.reliability import deployment as deploy
from tests.reliability.checks import keys_problems, verify_writes
from tests.reliability.load import WEBHOOK, Client, Load, Mix, Tally, session
from tests.reliability.processes import WebProcess

BEFORE_KILL_S = 3.0
AFTER_KILL_S = 4.0
CONCURRENCY = 16


async def test_kill_9_of_a_web_process_during_webhook_load(
    db, fake_slack, processes, figures, tmp_path
):
    """kill -9 of a web process during GitHub webhook load (16 in flight): every delivery
    that got a 2xx is processed exactly once; redelivering the ones that got no answer
    applies none of them twice."""
    deployment = await deploy.start(
        database_url=db, workdir=tmp_path, fake=fake_slack, started=processes, schedulers=False
    )
    figures.note(deployment.describe())
    tally = Tally()
    async with session(timeout=15) as http:
        client = Client(http, tally)
        org = await deploy.organization(deployment, client, fake_slack)
        load = Load(
            client,
            org,
            targets=deployment.targets,
            response_url=fake_slack.response_url,
            mix=Mix(slash=0, api_task=0, api_comment=0, webhook=1),
        )
        running = asyncio.create_task(
            load.run(seconds=BEFORE_KILL_S + AFTER_KILL_S, concurrency=CONCURRENCY)
        )
        await asyncio.sleep(BEFORE_KILL_S)
        victim = deployment.webs[0]
        in_flight_at_kill = len(tally.outcomes)
        victim.kill()
        killed_at = time.monotonic()
        if len(deployment.webs) > 1:
            load.drop_target(victim.base_url)
        else:
            await _restart(victim)
        figures.note(
            f"killed {victim.name} after {in_flight_at_kill} requests; "
            f"{'the survivor took the load' if len(deployment.webs) > 1 else 'restarted'} "
            f"({time.monotonic() - killed_at:.1f} s)"
        )
        await running
        first_round = list(tally.outcomes)
        unanswered = [o for o in first_round if o.kind == WEBHOOK and not o.accepted]
        survivor = deployment.webs[-1].base_url
        redelivered = [await load.redeliver(o, survivor) for o in unanswered]

    verdict = await verify_writes(tally, org.organization_id)
    first = await verify_writes(Tally(first_round), org.organization_id)
    rows = await WebhookDelivery.filter(organization_id=org.organization_id).values_list(
        "delivery_id", "status"
    )
    stuck = {delivery for delivery, status in rows if status != "processed"}
    key_problems = await keys_problems(org.organization_id, org.project_key)
    accepted_first = [o for o in first_round if o.accepted]
    figures.set(
        requests=len(tally.outcomes),
        accepted=len(tally.accepted()),
        server_errors=len(tally.server_errors()),
        socket_errors=len(unanswered),
        faults=1,
        writes_checked=first.checked,
        lost=len(first.lost) + len(first.unprocessed),
        duplicated=len(verdict.duplicated),
        redelivered=len(redelivered),
        stuck_after_redelivery=len(stuck),
    )
    figures.note(
        f"{len(accepted_first)} requests answered 2xx around the kill; {len(unanswered)} "
        "deliveries got no answer (in flight at the kill, or refused while no process "
        "listened) and were redelivered"
    )
    if stuck:
        figures.note(
            f"known gap: {len(stuck)} of the cut-off deliveries were stored before the kill "
            "and stay `received` after their redelivery was answered 200 as a duplicate "
            "(see the known gap `a delivery cut off after it was stored is processed on "
            "redelivery`)"
        )

    assert tally.server_errors() == [], tally.summary()
    assert accepted_first, "no delivery got through"
    # The requirement: every delivery that got a 2xx is processed, none twice.
    assert first.ok, first.describe()
    assert verdict.duplicated == [], verdict.describe()
    assert key_problems == []
    # Redelivery is accepted; only a delivery the kill cut off can be left unfinished.
    assert all(o.accepted for o in redelivered), [o for o in redelivered if not o.accepted]
    assert stuck <= {o.ref for o in unanswered}


async def _restart(victim: WebProcess) -> None:
    """Start the killed process again on its port, as a process supervisor does."""
    victim.start()
    await victim.wait_until_up()


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs, no error handler sees it."""


async def test_a_delivery_cut_off_after_it_was_stored_is_processed_on_redelivery(
    db, app_cache, monkeypatch, figures
):
    """A delivery stored just before the process died is processed when the sender
    redelivers it (the kill -9 test sees this window at random; this pins it)."""
    from core.config import load_settings
    from tests.e2e.conftest import Api
    from tests.e2e.test_inbound_webhooks import fixture, make_hook, make_project
    from webhooks import inbound_routes
    from webhooks.app import create_app

    settings = load_settings(TEAMFLOW_ENV="test")
    api = Api(create_app(settings, cache=app_cache, manage_database=False))
    owner = await api.register()
    await make_project(api, owner)
    hook = await make_hook(api, owner, "github")

    async def dies(*args, **kwargs):
        raise Crash

    monkeypatch.setattr(inbound_routes.webhook_deliveries, "process", dies)
    with pytest.raises(Crash):
        await hook.github("issues", fixture("github.issues.opened"), delivery="cut-off-1")
    monkeypatch.undo()
    redelivered = await hook.github("issues", fixture("github.issues.opened"), delivery="cut-off-1")
    status = (await WebhookDelivery.get(delivery_id="cut-off-1")).status
    figures.set(requests=2, accepted=1, faults=1, lost=int(status != "processed"))

    assert redelivered.status == 200
    assert status == "processed"
