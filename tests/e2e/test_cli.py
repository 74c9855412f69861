"""The `teamflow` command as a new user runs it: help, migrate, demo (twice)."""

import os
import subprocess
import sys

import pytest


def _teamflow(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "teamflow.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


@pytest.fixture
def env(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return clean | {
        "DATABASE_URL": f"sqlite://{tmp_path / 'cli.db'}",
        "TEAMFLOW_ENV": "development",
    }


def test_help_explains_each_command(env):
    result = _teamflow("--help", env=env)
    assert result.returncode == 0
    for command in ("migrate", "demo", "serve"):
        assert command in result.stdout


def test_migrate_then_demo_prints_how_to_sign_in(env):
    migrated = _teamflow("migrate", env=env)
    assert migrated.returncode == 0, migrated.stderr
    assert "up to date" in migrated.stdout
    assert _teamflow("migrate", env=env).returncode == 0, "migrating twice is harmless"

    first = _teamflow("demo", "--tasks-per-project", "40", env=env)
    assert first.returncode == 0, first.stderr
    assert "Created Acme Product" in first.stdout
    assert "120 tasks" in first.stdout
    assert "maya@demo.teamflow.dev" in first.stdout and "password: teamflow-demo" in first.stdout

    second = _teamflow("demo", env=env)
    assert second.returncode == 0 and "Already there" in second.stdout


def test_unsafe_production_settings_stop_the_command(env):
    result = _teamflow("migrate", env=env | {"TEAMFLOW_ENV": "production"})
    assert result.returncode == 2
    assert "TEAMFLOW_SECRET_KEY" in result.stderr


def test_chat_runs_task_commands_in_the_terminal(env):
    assert _teamflow("migrate", env=env).returncode == 0
    assert _teamflow("demo", "--tasks-per-project", "10", env=env).returncode == 0

    added = _teamflow(
        "chat", "/task add Write release notes @alice !high due:tomorrow +docs", env=env
    )
    assert added.returncode == 0, added.stderr
    assert "INBOX-1" in added.stdout and "Write release notes" in added.stdout
    assert "Alice Dev" in added.stdout and "High" in added.stdout and "[Done]" in added.stdout

    shown = _teamflow("chat", "show INBOX-1", "--as", "alice@demo.teamflow.dev", env=env)
    assert "Write release notes" in shown.stdout

    wrong = _teamflow("chat", "/task frobnicate", env=env)
    assert "don't know" in wrong.stdout


def test_chat_without_an_account_says_how_to_get_one(env):
    assert _teamflow("migrate", env=env).returncode == 0
    result = _teamflow("chat", "/task list", env=env)
    assert result.returncode == 1
    assert "teamflow demo" in result.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health(port: int) -> dict | None:
    import json
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/detailed", timeout=2) as r:
            return json.loads(r.read())
    except OSError as exc:  # not listening yet, or 503 while degraded
        body = getattr(exc, "read", None)
        return json.loads(body()) if body else None


@pytest.mark.parametrize("run_scheduler", ["auto", "no"])
def test_serve_runs_the_scheduler_itself_on_the_embedded_setup(env, run_scheduler):
    import time

    assert _teamflow("migrate", env=env).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "teamflow.cli", "serve", "--port", str(port)],
        env=env | {"TEAMFLOW_RUN_SCHEDULER": run_scheduler},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while (health := _health(port)) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert health is not None, "teamflow serve did not answer within 30 s"
        beat = health["checks"]["scheduler"]["last_heartbeat"]
        assert (beat is not None) == (run_scheduler == "auto")
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert ("The scheduler runs in this process" in output) == (run_scheduler == "auto")
