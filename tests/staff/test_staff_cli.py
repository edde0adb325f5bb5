"""`python -m bot.cli staff ...`: accounts with argon2 hashes, tokens shown once."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from bot.cli.__main__ import main as cli_main
from bot.cli.staff import main as staff_main
from bot.staff.passwords import verify_password
from bot.staff.tokens import api_token_digest
from bot.store import StaffStore, make_engine

PASSWORD = "a long enough secret"


def run(database_url, *argv, password_env=PASSWORD, prompts=()):
    out = io.StringIO()
    answers = iter(prompts)
    environ = {"DATABASE_URL": database_url}
    if password_env is not None:
        environ["STAFF_PASSWORD"] = password_env
    status = staff_main(list(argv), out=out, environ=environ, read_password=lambda prompt: next(answers))
    return status, out.getvalue()


@pytest.fixture()
def staff(database_url):
    engine = make_engine(database_url)
    yield StaffStore(engine)
    engine.dispose()


def test_add_creates_an_account_with_an_argon2id_hash_never_the_password(database_url, staff):
    status, output = run(
        database_url, "add", "Maria", "--role", "admin", "--languages", "en,es", "--teams", "healthcare,general",
        "--name", "María G.",
    )
    assert status == 0, output
    account = staff.find_by_username("maria")
    assert (account.role, account.languages, account.teams, account.display_name) == (
        "admin", ("en", "es"), ("healthcare", "general"), "María G.",
    )
    assert account.password_hash.startswith("$argon2id$")
    assert verify_password(account.password_hash, PASSWORD)
    assert not verify_password(account.password_hash, PASSWORD + "x")
    # Nowhere in the table, not in any column.
    with make_engine(database_url).connect() as connection:
        rows = connection.execute(text("SELECT * FROM staff_accounts")).all()
    assert PASSWORD not in repr(rows)
    assert PASSWORD not in output


def test_add_reads_the_password_from_the_prompt_twice(database_url, staff):
    status, _ = run(database_url, "add", "ana", password_env=None, prompts=[PASSWORD, PASSWORD])
    assert status == 0
    assert verify_password(staff.find_by_username("ana").password_hash, PASSWORD)


@pytest.mark.parametrize(
    "argv, prompts, password_env, problem",
    [
        (["add", "bo"], [PASSWORD, PASSWORD + "!"], None, "differ"),
        (["add", "bo"], [], "short", "at least 12"),
        (["add", "bo", "--languages", "fr"], [], PASSWORD, "unknown language fr"),
        (["add", "bo", "--teams", "bakery"], [], PASSWORD, "unknown team bakery"),
        (["add", "has space"], [], PASSWORD, "username"),
        (["token", "nobody"], [], PASSWORD, "no account"),
    ],
)
def test_refusals_say_why_and_create_nothing(database_url, staff, argv, prompts, password_env, problem):
    status, output = run(database_url, *argv, password_env=password_env, prompts=prompts)
    assert status == 1
    assert problem in output
    assert staff.list_accounts() == []


def test_a_username_is_taken_once(database_url):
    assert run(database_url, "add", "carla")[0] == 0
    status, output = run(database_url, "add", "Carla")
    assert status == 1 and "taken" in output


def test_token_prints_a_new_token_once_and_stores_only_its_digest(database_url, staff):
    run(database_url, "add", "dee")
    status, output = run(database_url, "token", "dee")
    assert status == 0
    token = output.strip().splitlines()[-1]
    assert len(token) >= 40
    assert staff.find_by_api_token_digest(api_token_digest(token)).username == "dee"
    with make_engine(database_url).connect() as connection:
        assert token not in repr(connection.execute(text("SELECT * FROM staff_accounts")).all())
    # A second token replaces the first.
    _, again = run(database_url, "token", "dee")
    assert staff.find_by_api_token_digest(api_token_digest(token)) is None
    assert staff.find_by_api_token_digest(api_token_digest(again.strip().splitlines()[-1])).username == "dee"


def test_password_resets_and_lifts_a_lockout(database_url, staff):
    run(database_url, "add", "eve")
    account = staff.find_by_username("eve")
    for _ in range(5):
        staff.record_failed_login(account.id)
    assert staff.find_by_username("eve").locked_until is not None
    assert run(database_url, "password", "eve", password_env="a brand new password")[0] == 0
    reset = staff.find_by_username("eve")
    assert reset.locked_until is None and verify_password(reset.password_hash, "a brand new password")


def test_disable_and_list(database_url):
    run(database_url, "add", "fay", "--teams", "it")
    assert run(database_url, "disable", "fay")[0] == 0
    _, listing = run(database_url, "list")
    assert listing.split("\t")[0] == "fay" and "disabled" in listing and "\tit\t" in listing


def test_the_staff_command_is_registered_in_bot_cli(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("STAFF_PASSWORD", PASSWORD)
    assert cli_main(["staff", "add", "gus"]) == 0
    assert "Created staff account 'gus'" in capsys.readouterr().out


def test_a_database_not_migrated_is_reported(tmp_path):
    status, output = run(f"sqlite:///{tmp_path / 'empty.db'}", "list")
    assert status == 2 and "migrated" in output
