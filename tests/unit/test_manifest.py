from bot.blocks import ids
from bot.manifest import manifest


def test_manifest_points_every_request_at_the_events_url():
    document = manifest(base_url="https://tasks.example.com/", command="/todo")
    url = "https://tasks.example.com/slack/events"
    assert document["settings"]["event_subscriptions"]["request_url"] == url
    assert document["settings"]["interactivity"]["request_url"] == url
    [command] = document["features"]["slash_commands"]
    assert (command["command"], command["url"], command["should_escape"]) == ("/todo", url, True)
    callbacks = {s["callback_id"] for s in document["features"]["shortcuts"]}
    assert callbacks == {ids.SHORTCUT_FROM_MESSAGE, ids.SHORTCUT_NEW_TASK}
    assert "commands" in document["oauth_config"]["scopes"]["bot"]
    assert "app_mention" in document["settings"]["event_subscriptions"]["bot_events"]


def test_socket_mode_manifest_needs_no_public_url():
    document = manifest(base_url="https://unused.example", socket_mode=True)
    assert document["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in document["settings"]["event_subscriptions"]
    assert "url" not in document["features"]["slash_commands"][0]
