"""Several instances of the assistant on one machine, behind nginx (the production profile).

Instance N (from 1) runs its own action server, Rasa server and webhook ingest process on the
configured ports plus N * INSTANCE_PORT_STEP; nginx listens on the configured ports themselves and
spreads the requests over the instances: webhooks over the ingest processes, the Rasa HTTP API over
the Rasa servers, and the Rasa servers' action calls over the action servers. One staff console
serves all (it keeps no state of its own).

What makes this safe is shared, not local: the database (row claims, bot/store/message_log.py and
person_claims.py) and the Redis lock store, which holds a conversation's turn to one Rasa server at
a time. Every instance runs the inbound processor, the sender and the scheduler.
"""
from __future__ import annotations

import os
import pwd
import shutil
from dataclasses import replace
from pathlib import Path

from bot.cli.settings import Settings

INSTANCE_PORT_STEP = 10
NGINX = "nginx"
NGINX_HEALTH_PATH = "/nginx-health"


def instance_settings(settings: Settings, number: int) -> Settings:
    """The ports instance `number` (1, 2, ...) listens on; everything else is shared."""
    offset = INSTANCE_PORT_STEP * number
    return replace(
        settings,
        rasa_port=settings.rasa_port + offset,
        actions_port=settings.actions_port + offset,
        webhook_port=settings.webhook_port + offset,
        wake_port=settings.wake_port + offset,
    )


def nginx_binary() -> str | None:
    """Debian's nginx lives in /usr/sbin, which a user's PATH may leave out."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def nginx_config(settings: Settings, instances: list[Settings], state_dir: Path) -> str:
    """nginx.conf for the front: one upstream per kind of process, listening on 127.0.0.1."""

    def upstream(name: str, ports: list[int]) -> str:
        servers = "".join(f"        server {settings.host}:{port};\n" for port in ports)
        return f"    upstream {name} {{\n{servers}        keepalive 16;\n    }}\n"

    def proxied(port: int, upstream_name: str, extra: str = "") -> str:
        return (
            "    server {\n"
            f"        listen {settings.host}:{port};\n"
            f"{extra}"
            "        location / {\n"
            f"            proxy_pass http://{upstream_name};\n"
            "            proxy_http_version 1.1;\n"
            '            proxy_set_header Connection "";\n'
            "            proxy_set_header Host $http_host;\n"
            "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
            "            proxy_set_header X-Forwarded-Proto $scheme;\n"
            # A dialogue turn may wait for the conversation's lock and the action server.
            "            proxy_read_timeout 120s;\n"
            # An instance that is down (connection refused) is skipped; a request already sent
            # is not re-sent elsewhere (nginx never repeats a POST that reached a server).
            "            proxy_next_upstream error timeout http_502 http_503;\n"
            "        }\n"
            "    }\n"
        )

    temp = "".join(
        f"    {kind}_temp_path {state_dir / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    health = f"        location = {NGINX_HEALTH_PATH} {{ access_log off; return 200 \"ok\\n\"; }}\n"
    return (
        "# Written by `python -m bot.cli run --instances N`; edits are overwritten at the next start.\n"
        "daemon off;\n"
        f"{_workers_user()}"
        "worker_processes 1;\n"
        f"pid {state_dir / 'nginx.pid'};\n"
        f"error_log {state_dir / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    access_log {state_dir / 'access.log'};\n"
        f"{temp}"
        "    client_max_body_size 8m;\n"
        # The trackers Rasa sends its action servers are kept in memory, not in temp files.
        "    client_body_buffer_size 1m;\n"
        f"{upstream('webhook_ingest', [each.webhook_port for each in instances])}"
        f"{upstream('rasa_servers', [each.rasa_port for each in instances])}"
        f"{upstream('action_servers', [each.actions_port for each in instances])}"
        f"{proxied(settings.webhook_port, 'webhook_ingest', health)}"
        f"{proxied(settings.rasa_port, 'rasa_servers')}"
        f"{proxied(settings.actions_port, 'action_servers')}"
        "}\n"
    )


def _workers_user() -> str:
    """Started by root, nginx would run its workers as `nobody`, who cannot reach the state
    folder of the user running the supervisor (temp files for request bodies): the workers
    run as that user instead. Started by anyone else, they run as that user anyway."""
    if os.geteuid() != 0:
        return ""
    return f"user {pwd.getpwuid(os.geteuid()).pw_name};\n"


def write_nginx_config(settings: Settings, instances: list[Settings]) -> Path:
    state_dir = settings.var_dir / "nginx"
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / "nginx.conf"
    path.write_text(nginx_config(settings, instances, state_dir))
    return path
