"""Where the database lives: one URL, read from the environment."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "intake.db"


def database_url() -> str:
    """`DATABASE_URL` from the environment; by default a SQLite file in git-ignored `var/`."""
    configured = os.environ.get("DATABASE_URL", "").strip()
    if not configured:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    return normalize_url(configured)


def normalize_url(url: str) -> str:
    """Accept `postgres://`, as hosting providers hand it out; SQLAlchemy 1.4 dropped that name."""
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url
