"""The nginx front for several instances: the generated config is one nginx accepts (`nginx -t`),
it spreads each kind of process over every instance, and `run --instances` refuses SQLite."""
from __future__ import annotations

import subprocess

import pytest

from bot.cli.__main__ import run
from bot.cli.instances import INSTANCE_PORT_STEP, instance_settings, nginx_binary, write_nginx_config
from bot.cli.settings import load_settings
from tests.production.test_two_instances import require_nginx


def test_the_generated_config_passes_nginx_own_check_and_lists_every_instance(tmp_path):
    require_nginx()
    settings = load_settings({"INTAKE_PROFILE": "production", "INTAKE_VAR_DIR": str(tmp_path)})
    instances = [instance_settings(settings, number) for number in (1, 2, 3)]
    config = write_nginx_config(settings, instances)
    checked = subprocess.run(
        [nginx_binary(), "-t", "-c", str(config), "-p", str(config.parent), "-e", str(config.parent / "error.log")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    written = config.read_text()
    for number in (1, 2, 3):
        offset = INSTANCE_PORT_STEP * number
        for port in (settings.webhook_port, settings.rasa_port, settings.actions_port):
            assert f"server 127.0.0.1:{port + offset};" in written
    for port in (settings.webhook_port, settings.rasa_port, settings.actions_port):
        assert f"listen 127.0.0.1:{port};" in written


def test_several_instances_need_the_production_profile(tmp_path):
    settings = load_settings({"INTAKE_VAR_DIR": str(tmp_path)})
    with pytest.raises(SystemExit, match="production profile"):
        run(settings, instances=2)
