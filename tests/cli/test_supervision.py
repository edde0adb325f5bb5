"""The supervisor starts a dead process again with a growing delay while the others keep running,
and the systemd units of the production profile start the same processes the same way."""
from __future__ import annotations

import configparser
import sys
import time
from pathlib import Path

import pytest

from bot.cli.settings import load_settings
from bot.cli.supervisor import ManagedProcess, RestartPolicy, Supervisor, assistant_processes, service_name

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


@pytest.mark.parametrize(
    ("failures_in_a_row", "seconds"),
    [(1, 1.0), (2, 2.0), (3, 4.0), (6, 32.0), (7, 60.0), (50, 60.0)],
)
def test_the_delay_doubles_with_each_death_in_a_row_up_to_a_cap(failures_in_a_row, seconds):
    assert RestartPolicy(first_delay=1.0, longest_delay=60.0).delay(failures_in_a_row) == seconds


@pytest.mark.parametrize(
    ("failures_before", "seconds_up", "failures_after"),
    [(0, 0.5, 1), (3, 0.5, 4), (3, 119.9, 4), (3, 120.0, 1), (9, 3600.0, 1)],
)
def test_a_process_that_stayed_up_long_enough_starts_again_from_the_first_delay(
    failures_before, seconds_up, failures_after
):
    policy = RestartPolicy(stable_seconds=120.0)
    assert policy.failures_after_death(failures_before, seconds_up) == failures_after


def _supervisor_of(tmp_path, monkeypatch, processes: list[ManagedProcess]) -> Supervisor:
    monkeypatch.setenv("INTAKE_VAR_DIR", str(tmp_path))
    supervisor = Supervisor(load_settings(), restart_policy=RestartPolicy(first_delay=1.0, longest_delay=4.0))
    supervisor.processes = processes
    return supervisor


def _wait_for_exit(managed: ManagedProcess) -> None:
    managed.process.wait(timeout=10)


def test_a_dead_process_is_started_again_after_a_growing_delay_and_the_others_are_left_alone(
    tmp_path, monkeypatch
):
    crashing = ManagedProcess("crashing", [sys.executable, "-c", "raise SystemExit(3)"], "", "")
    steady = ManagedProcess("steady", [sys.executable, "-c", "import time; time.sleep(60)"], "", "")
    supervisor = _supervisor_of(tmp_path, monkeypatch, [crashing, steady])
    try:
        for managed in supervisor.processes:
            supervisor._launch(managed)
        steady_pid = steady.process.pid
        launched = crashing.started_at
        _wait_for_exit(crashing)

        # Each death in a row waits twice as long before the next start: 1 s, 2 s, 4 s, 4 s.
        for expected_delay, restarts_before in ((1.0, 0), (2.0, 1), (4.0, 2), (4.0, 3)):
            supervisor.tend(launched + 0.1)  # notes the death
            assert crashing.restart_at == pytest.approx(launched + 0.1 + expected_delay)
            supervisor.tend(crashing.restart_at - 0.01)
            assert crashing.restarts == restarts_before  # not before its time
            supervisor.tend(crashing.restart_at)
            assert crashing.restarts == restarts_before + 1
            launched = crashing.started_at
            _wait_for_exit(crashing)
        assert crashing.process.returncode == 3

        # One that ran long enough before dying starts again after the first delay.
        supervisor.tend(launched + 500.0)
        assert crashing.restart_at == pytest.approx(launched + 501.0)

        assert steady.process.pid == steady_pid and steady.process.poll() is None
        assert steady.restarts == 0
    finally:
        supervisor.stop()
    assert steady.process.poll() is not None  # stop still stops everything


def test_nothing_is_started_again_once_the_supervisor_stops(tmp_path, monkeypatch):
    crashing = ManagedProcess("crashing", [sys.executable, "-c", "raise SystemExit(1)"], "", "")
    supervisor = _supervisor_of(tmp_path, monkeypatch, [crashing])
    supervisor._launch(crashing)
    _wait_for_exit(crashing)
    now = time.monotonic()
    supervisor.tend(now)
    supervisor.stop()
    supervisor.tend(now + 100.0)
    assert crashing.restarts == 0


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path)
    return parser


def test_every_process_has_a_systemd_unit_that_restarts_it_with_the_run_command(tmp_path, monkeypatch):
    monkeypatch.setenv("INTAKE_VAR_DIR", str(tmp_path))
    names = {service_name(managed.name) for managed in assistant_processes(load_settings(), "token")}
    assert names == {"action-server", "rasa-server", "webhook-ingest", "staff-console"}
    target = _unit(UNITS / "intake.target")
    for name in names:
        unit = _unit(UNITS / f"intake-{name}.service")
        service = unit["Service"]
        assert service["ExecStart"].endswith(f"python -m bot.cli serve {name}")
        assert service["Restart"] == "on-failure"
        assert float(service["RestartSec"].rstrip("s")) >= 1
        # The growing delay is serve's own (restart_backoff.py): systemd 252 ignores RestartSteps.
        assert "RestartSteps" not in service and "RestartMaxDelaySec" not in service
        assert unit["Unit"]["StartLimitIntervalSec"] == "0"  # never gives up
        assert f"intake-{name}.service" in target["Unit"]["Wants"].split()
    # The webhooks must outlive the dialogue: nothing ties the ingest unit to the Rasa server.
    ingest = _unit(UNITS / "intake-webhook-ingest.service")["Unit"]
    assert "rasa" not in ingest.get("Requires", "") + ingest.get("BindsTo", "") + ingest.get("PartOf", "").replace(
        "intake.target", ""
    )


def test_serve_refuses_an_unknown_process_name(tmp_path, monkeypatch):
    from bot.cli.supervisor import serve_one

    monkeypatch.setenv("INTAKE_VAR_DIR", str(tmp_path))
    with pytest.raises(SystemExit, match="rasa-server"):
        serve_one(load_settings(), "rasa")


def test_serve_runs_one_process_as_run_would_and_it_answers_health_and_ready(tmp_path):
    import os
    import socket
    import subprocess

    from bot.cli.harness import free_port
    from bot.cli.supervisor import answers_ok
    from bot.store import migrate

    port = free_port()
    database = f"sqlite:///{tmp_path / 'intake.db'}"
    migrate(database)
    env = {
        **os.environ,
        "INTAKE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database,
        "WEBHOOK_PORT": str(port),
        "DIALOGUE_WAKE_PORT": str(free_port(socket.SOCK_DGRAM)),
    }
    served = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "webhook-ingest"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not answers_ok(f"http://127.0.0.1:{port}/ready"):
            assert served.poll() is None, "serve exited"
            assert time.monotonic() < deadline, "not ready in time"
            time.sleep(0.3)
        assert answers_ok(f"http://127.0.0.1:{port}/health")
        # The process systemd watches is the server itself (exec), not a wrapper around it.
        cmdline = (Path("/proc") / str(served.pid) / "cmdline").read_bytes().split(b"\0")
        assert b"bot.channels.ingest" in cmdline
    finally:
        served.terminate()
        served.wait(timeout=30)


PER_INSTANCE = ("action-server", "rasa-server", "webhook-ingest")


def test_several_instances_have_templated_units_started_by_an_instance_target():
    target = _unit(UNITS / "intake-instance@.target")
    for name in PER_INSTANCE:
        unit = _unit(UNITS / f"intake-{name}@.service")
        assert unit["Service"]["ExecStart"].endswith(f"python -m bot.cli serve {name} --instance %i")
        assert unit["Service"]["Restart"] == "on-failure"
        assert unit["Unit"]["StartLimitIntervalSec"] == "0"
        assert f"intake-{name}@%i.service" in target["Unit"]["Wants"].split()
    assert _unit(UNITS / "intake-nginx.service")["Service"]["ExecStart"].endswith("python -m bot.cli serve nginx")


def test_serve_with_an_instance_runs_that_instances_process_on_its_ports_calling_actions_through_nginx(tmp_path, monkeypatch):
    from bot.cli.instances import INSTANCE_PORT_STEP
    from bot.cli.supervisor import served_process

    monkeypatch.setenv("INTAKE_VAR_DIR", str(tmp_path))
    settings = load_settings()
    rasa = served_process(settings, "token", "rasa-server", 2)
    assert rasa.command[rasa.command.index("--port") + 1] == str(settings.rasa_port + 2 * INSTANCE_PORT_STEP)
    endpoints = Path(rasa.command[rasa.command.index("--endpoints") + 1]).read_text()
    assert f"{settings.actions_url}/webhook" in endpoints  # nginx's port, not the instance's own
    ingest = served_process(settings, "token", "webhook-ingest", 1)
    assert ingest.command[ingest.command.index("--port") + 1] == str(settings.webhook_port + INSTANCE_PORT_STEP)
    actions = served_process(settings, "token", "action-server", 3)
    assert actions.command[actions.command.index("--port") + 1] == str(settings.actions_port + 3 * INSTANCE_PORT_STEP)


def test_serve_nginx_fronts_the_configured_number_of_instances(tmp_path, monkeypatch):
    from bot.cli.instances import INSTANCE_PORT_STEP, nginx_binary
    from bot.cli.supervisor import served_process

    if nginx_binary() is None:
        pytest.skip("nginx is not installed")
    monkeypatch.setenv("INTAKE_VAR_DIR", str(tmp_path))
    settings = load_settings()
    monkeypatch.delenv("INTAKE_INSTANCES", raising=False)
    with pytest.raises(SystemExit, match="INTAKE_INSTANCES"):
        served_process(settings, "token", "nginx", None)
    monkeypatch.setenv("INTAKE_INSTANCES", "2")
    front = served_process(settings, "token", "nginx", None)
    config = Path(front.command[front.command.index("-c") + 1]).read_text()
    for number in (1, 2):
        assert f":{settings.rasa_port + number * INSTANCE_PORT_STEP};" in config
    assert f":{settings.rasa_port + 3 * INSTANCE_PORT_STEP};" not in config
