"""Multi-workspace install without Slack or a database: settings, pages, manifest."""

import pytest

from bot.install_pages import failed_page, installed_page
from bot.manifest import manifest
from core.config import ConfigurationError, load_settings


@pytest.mark.parametrize("given", ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"])
def test_client_id_and_secret_go_together(monkeypatch, given):
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(**{given: "value"})
    assert "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together" in str(caught.value)


def test_both_switch_on_multi_workspace_mode():
    settings = load_settings(SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s")
    assert settings.slack_multi_workspace and settings.slack_configured
    assert not load_settings(SLACK_CLIENT_ID="", SLACK_CLIENT_SECRET="").slack_multi_workspace


def test_production_needs_the_signing_secret_with_a_client_id(monkeypatch):
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    production = {"TEAMFLOW_ENV": "production", "TEAMFLOW_SECRET_KEY": "k" * 48}
    with pytest.raises(ConfigurationError) as caught:
        load_settings(**production, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s")
    assert "SLACK_SIGNING_SECRET" in str(caught.value)
    assert load_settings(
        **production, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s", SLACK_SIGNING_SECRET="x"
    ).is_production


def test_the_installed_page_names_the_workspace_and_escapes_it():
    page = installed_page(team_name="Acme <Labs>", command="/todo")
    assert "TeamFlow is installed in Acme &lt;Labs&gt;. Try /todo in any channel." in page


def test_the_failure_page_says_what_went_wrong_and_offers_a_retry():
    page = failed_page(reason="invalid_state", install_path="/slack/install")
    assert "expired or was already used" in page and 'href="/slack/install"' in page
    assert "Slack reported a problem: <b>" not in failed_page(reason="<b>", install_path="/")


def test_the_manifest_subscribes_to_the_lifecycle_events():
    document = manifest(base_url="https://tasks.example.com")
    events = document["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(events)
    redirect = "https://tasks.example.com/slack/oauth_redirect"
    assert document["oauth_config"]["redirect_urls"] == [redirect]
