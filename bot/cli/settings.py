"""Run-time settings, read from the environment only (see `.env.example`).

Two profiles: `embedded` (default: SQLite files under `var/`, Rasa's in-memory lock store, so one
command runs everything on a laptop) and `production` (PostgreSQL and Redis).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot.channels.settings import DEFAULT_WAKE_PORT, DEFAULT_WEBHOOK_PORT, WAKE_PORT_SETTING, WEBHOOK_PORT_SETTING

REPO_ROOT = Path(__file__).resolve().parents[2]

# The token the Rasa server's HTTP API (and its REST channel) wants. Production must set it; on a
# laptop `make run` makes one per run and leaves it in var/ for `make chat`.
RASA_API_TOKEN_SETTING = "RASA_API_TOKEN"
RASA_API_TOKEN_FILE = "rasa_api_token"


@dataclass(frozen=True)
class Settings:
    profile: str
    var_dir: Path
    models_dir: Path
    host: str
    rasa_port: int
    actions_port: int
    webhook_port: int  # the webhook ingest process (Twilio, Telegram, calendar files)
    wake_port: int  # UDP: the ingest process tells the Rasa process a message is waiting
    database_url: str
    tracker_database_url: str
    redis_url: str | None
    staff_console_port: int = 8080

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def staff_url(self) -> str:
        return f"http://{self.host}:{self.staff_console_port}"

    @property
    def webhook_url(self) -> str:
        return f"http://{self.host}:{self.webhook_port}"

    @property
    def model_path(self) -> Path:
        return self.models_dir / "intake.tar.gz"

    def rasa_api_token(self) -> str | None:
        """RASA_API_TOKEN, or the one the running `make run` made for itself."""
        configured = (os.environ.get(RASA_API_TOKEN_SETTING) or "").strip()
        if configured:
            return configured
        path = self.var_dir / RASA_API_TOKEN_FILE
        return path.read_text().strip() if path.exists() else None


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    profile = env.get("INTAKE_PROFILE", "embedded")
    if profile not in ("embedded", "production"):
        raise SystemExit(f"INTAKE_PROFILE must be 'embedded' or 'production', not {profile!r}")
    var_dir = Path(env.get("INTAKE_VAR_DIR", REPO_ROOT / "var")).resolve()
    if profile == "production":
        database_url = env.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        redis_url = env.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    else:
        database_url = env.get("DATABASE_URL", f"sqlite:///{var_dir / 'intake.db'}")
        redis_url = None
    tracker_default = (
        f"sqlite:///{var_dir / 'tracker.db'}" if database_url.startswith("sqlite") else database_url
    )
    return Settings(
        profile=profile,
        var_dir=var_dir,
        models_dir=Path(env.get("INTAKE_MODELS_DIR", REPO_ROOT / "models")).resolve(),
        host="127.0.0.1",
        rasa_port=int(env.get("RASA_PORT", "5005")),
        actions_port=int(env.get("ACTIONS_PORT", "5055")),
        webhook_port=int(env.get(WEBHOOK_PORT_SETTING) or DEFAULT_WEBHOOK_PORT),
        wake_port=int(env.get(WAKE_PORT_SETTING) or DEFAULT_WAKE_PORT),
        database_url=database_url,
        tracker_database_url=env.get("TRACKER_DATABASE_URL", tracker_default),
        redis_url=redis_url,
        staff_console_port=int(env.get("STAFF_CONSOLE_PORT", "8080")),
    )


TRACKER_STORE_CLASS = "bot.tracker_store.IntakeTrackerStore"


def tracker_store_config(url: str, *, cache_trackers: bool, versioned_cache: bool = False) -> dict[str, object]:
    """Rasa's SQL tracker store (our subclass of it) wants the URL in parts. `versioned_cache`:
    the cached copies are used only at the version the inbound claim read (bot/tracker_store.py)."""
    parts = urlsplit(url)
    config: dict[str, object] = {
        "type": TRACKER_STORE_CLASS,
        "cache_trackers": cache_trackers,
        "versioned_cache": versioned_cache,
    }
    if parts.scheme.startswith("sqlite"):
        # sqlite:///relative.db and sqlite:////absolute.db: the file path follows the third slash.
        return {**config, "dialect": "sqlite", "db": parts.path[1:]}
    return {
        **config,
        "dialect": "postgresql",
        "url": parts.hostname or "127.0.0.1",  # Rasa passes `url` on as the host
        "port": parts.port or 5432,
        "db": parts.path.lstrip("/") or "postgres",
        "username": parts.username or "postgres",
        "password": parts.password or "",
    }


def lock_store_config(redis_url: str | None) -> dict[str, object] | None:
    if not redis_url:
        return None  # Rasa's in-memory lock store: right for a single process.
    parts = urlsplit(redis_url)
    return {
        "type": "redis",
        "url": parts.hostname or "127.0.0.1",
        "port": parts.port or 6379,
        "db": int(parts.path.lstrip("/") or 0),
        "key_prefix": "intake",
    }
