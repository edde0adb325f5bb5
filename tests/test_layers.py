"""The walls between the parts of `bot/`, read from the source: every `import` statement, also
those inside functions, so a lazy import cannot slip through a wall either."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"

# Pure rules: no Rasa, HTTP, database or web framework, and none of the parts that use them.
PURE = [
    "screening", "understanding", "language", "handoff", "reports", "scheduling", "warn", "hiring_events",
    "geography.py", "answers.py", "questions.py", "slots.py", "responses.py", "sms.py", "channel_replies.py", "csv_rows.py",
]
IMPURE = ("rasa", "rasa_sdk", "sanic", "flask", "sqlalchemy", "alembic", "httpx", "aiohttp", "telegram", "twilio",
          "bot.store", "bot.channels", "bot.actions", "bot.staff", "bot.cli", "bot.nlg")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from bot import slots` imports the module bot.slots
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def sources(part: str) -> list[Path]:
    where = BOT / part
    return [where] if where.suffix == ".py" else sorted(where.rglob("*.py"))


def crossings(parts: list[str], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(BOT.parent)} imports {module}"
        for part in parts
        for path in sources(part)
        for module in sorted(imported_modules(path))
        if any(module == wall or module.startswith(wall + ".") for wall in forbidden)
    ]


def test_the_pure_rules_import_no_rasa_http_or_database_code():
    assert crossings(PURE, IMPURE) == []


def test_the_channels_never_reach_into_the_actions():
    assert crossings(["channels"], ("bot.actions", "bot.staff")) == []


def test_the_actions_reach_neither_the_channels_nor_the_console():
    assert crossings(["actions"], ("bot.channels", "bot.staff")) == []


def test_the_staff_console_queues_texts_through_the_store_only():
    assert crossings(["staff"], ("rasa", "rasa_sdk", "bot.channels", "bot.actions", "bot.nlg")) == []


@pytest.mark.parametrize("source, expected", [
    ("import rasa.core\n", {"rasa.core"}),
    ("def f():\n    from bot.channels.outbox import Outbox\n", {"bot.channels.outbox", "bot.channels.outbox.Outbox"}),
    ("from bot import slots\n", {"bot", "bot.slots"}),
])
def test_imports_are_found_wherever_they_are_written(tmp_path, source, expected):
    module = tmp_path / "module.py"
    module.write_text(source)
    assert imported_modules(module) == expected
