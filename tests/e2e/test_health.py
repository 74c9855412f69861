from core.cache.redis import RedisCache
from core.config import load_settings
from webhooks.app import create_app


async def test_health_answers(connected, app_cache):
    app = create_app(load_settings(), cache=app_cache, manage_database=False)
    response = await app.test_client().get("/health")
    assert response.status_code == 200
    assert await response.get_json() == {"status": "ok"}


async def test_detailed_health_checks_database_and_cache(connected, app_cache):
    app = create_app(load_settings(), cache=app_cache, manage_database=False)
    response = await app.test_client().get("/health/detailed")
    body = await response.get_json()
    assert response.status_code == 200
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True


async def test_detailed_health_reports_an_unreachable_redis(connected):
    dead = RedisCache.from_url("redis://127.0.0.1:1/0")
    app = create_app(load_settings(), cache=dead, manage_database=False)
    response = await app.test_client().get("/health/detailed")
    body = await response.get_json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


async def test_detailed_health_shows_the_scheduler_heartbeat(connected, app_cache):
    from core.heartbeats import SCHEDULER, record_heartbeat

    app = create_app(load_settings(), cache=app_cache, manage_database=False)
    before = await (await app.test_client().get("/health/detailed")).get_json()
    assert before["checks"]["scheduler"]["last_heartbeat"] is None
    await record_heartbeat(app_cache, SCHEDULER)
    after = await (await app.test_client().get("/health/detailed")).get_json()
    assert after["checks"]["scheduler"]["last_heartbeat"] is not None


async def test_detailed_health_reports_slack_reachability(connected, app_cache):
    from aiohttp import web

    async def api_test(request):
        return web.json_response({"ok": True})

    fake = web.Application()
    fake.router.add_post("/api/api.test", api_test)
    runner = web.AppRunner(fake)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        up = create_app(
            load_settings(
                SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=f"http://127.0.0.1:{port}/api/"
            ),
            cache=app_cache,
            manage_database=False,
        )
        body = await (await up.test_client().get("/health/detailed")).get_json()
        assert body["checks"]["slack"]["configured"] is True
        assert body["checks"]["slack"]["ok"] is True
        assert body["checks"]["slack"]["latency_ms"] >= 0
    finally:
        await runner.cleanup()
    down = create_app(
        load_settings(SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=f"http://127.0.0.1:{port}/api/"),
        cache=app_cache,
        manage_database=False,
    )
    response = await down.test_client().get("/health/detailed")
    body = await response.get_json()
    assert response.status_code == 200, "Slack is reported but not required"
    assert body["status"] == "degraded" and body["checks"]["slack"]["ok"] is False


async def test_detailed_health_without_slack_configured(connected, app_cache):
    app = create_app(load_settings(SLACK_BOT_TOKEN=""), cache=app_cache, manage_database=False)
    body = await (await app.test_client().get("/health/detailed")).get_json()
    assert body["checks"]["slack"] == {"configured": False}
    assert body["checks"]["database"]["latency_ms"] >= 0
