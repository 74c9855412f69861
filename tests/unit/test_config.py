import pytest

from core.config import DEFAULT_SECRET_KEY, ConfigurationError, Environment, load_settings


def test_development_runs_on_the_embedded_defaults(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "REDIS_URL", "TEAMFLOW_ENV", "TEAMFLOW_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url.startswith("sqlite://")
    assert settings.redis_url is None
    assert not settings.uses_postgres


@pytest.mark.parametrize(
    ("secret", "complaint"),
    [(DEFAULT_SECRET_KEY, "development default"), ("short-secret", "at least 32")],
)
def test_production_refuses_an_unsafe_secret(monkeypatch, secret, complaint):
    monkeypatch.setenv("TEAMFLOW_ENV", "production")
    monkeypatch.setenv("TEAMFLOW_SECRET_KEY", secret)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert "TEAMFLOW_SECRET_KEY" in str(caught.value)
    assert complaint in str(caught.value)


def test_production_starts_with_a_strong_secret(monkeypatch):
    monkeypatch.setenv("TEAMFLOW_ENV", "production")
    monkeypatch.setenv("TEAMFLOW_SECRET_KEY", "k" * 48)
    assert load_settings().is_production


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://localhost/x"),
        ("REDIS_URL", "localhost:6379"),
        ("PORT", "not-a-port"),
        ("TEAMFLOW_ENV", "staging"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_value_names_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert f"  {name}:" in str(caught.value)


def test_env_file_is_read(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / ".env").write_text("DATABASE_URL=postgresql://u@db.internal/teamflow\n")
    assert load_settings().uses_postgres


@pytest.mark.parametrize(("configured", "expected"), [(None, 7.0), ("30", 7.0), ("3", 3.0)])
def test_serve_never_lets_the_shutdown_drain_outlast_its_graceful_timeout(
    monkeypatch, tmp_path, configured, expected
):
    from teamflow.cli import _hold_drain_to

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEAMFLOW_SHUTDOWN_DRAIN_SECONDS", configured or "0")
    if configured is None:
        monkeypatch.delenv("TEAMFLOW_SHUTDOWN_DRAIN_SECONDS")
    _hold_drain_to(7.0, load_settings())
    assert load_settings().shutdown_drain_seconds == expected
