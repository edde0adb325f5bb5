"""Staff accounts from the command line (there is no sign-up page):

    python -m bot.cli staff add USERNAME --role staff|admin --languages en,es --teams healthcare,general --name "María G."
    python -m bot.cli staff password USERNAME     # a new password; ends every session of the account
    python -m bot.cli staff token USERNAME        # a new API token, printed once (the old one stops working)
    python -m bot.cli staff disable USERNAME      # signs them out everywhere; `enable` undoes it
    python -m bot.cli staff list

The password is asked twice at a prompt, or read from STAFF_PASSWORD for scripts. The database
is DATABASE_URL and must be migrated (`python -m bot.store upgrade` or `make run`).
`main(argv) -> int` is the entry point; exit status 0 on success, 1 on a refused request,
2 when the database cannot be used.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.answers import SECTOR_VALUES
from bot.handoff.model import TEAM_GENERAL
from bot.staff.passwords import WeakPassword, hash_password
from bot.staff.tokens import new_api_token
from bot.bootstrap import build_stores
from bot.store.engine import make_engine
from bot.store.staff_store import StaffAccount, StaffStore, UsernameTaken
from bot.store.vocabulary import LANGUAGES, ROLE_STAFF, ROLES

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_NO_DATABASE = 2
PASSWORD_ENV = "STAFF_PASSWORD"
TEAMS = (*SECTOR_VALUES, TEAM_GENERAL)

PasswordReader = Callable[[str], str]


class Refused(Exception):
    """A request the command will not carry out; the message says why."""


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    read_password: PasswordReader = getpass.getpass,
) -> int:
    out = out or sys.stdout
    environ = os.environ if environ is None else environ
    arguments = _parser().parse_args(list(argv) if argv is not None else None)
    engine = make_engine(environ.get("DATABASE_URL") or None)
    try:
        staff = build_stores(engine).staff
        if arguments.command == "add":
            account = staff.create_account(
                arguments.username,
                arguments.name or arguments.username,
                hash_password(_new_password(environ, read_password)),
                arguments.role,
                _choices(arguments.languages, LANGUAGES, "language"),
                _choices(arguments.teams, TEAMS, "team") if arguments.teams else [],
            )
            print(f"Created {account.role} account {account.username!r} (id {account.id}).", file=out)
        elif arguments.command == "password":
            account = _existing(staff, arguments.username)
            staff.set_password_hash(account.id, hash_password(_new_password(environ, read_password)))
            print(f"New password set for {account.username!r}; their earlier sessions have ended.", file=out)
        elif arguments.command == "token":
            account = _existing(staff, arguments.username)
            token, digest = new_api_token()
            staff.set_api_token_digest(account.id, digest)
            print(f"API token for {account.username!r} (shown once; the previous one no longer works):", file=out)
            print(token, file=out)
        elif arguments.command in ("disable", "enable"):
            account = _existing(staff, arguments.username)
            staff.set_disabled(account.id, arguments.command == "disable")
            print(f"{account.username!r} is {arguments.command}d.", file=out)
        else:
            for account in staff.list_accounts():
                state = "disabled" if account.disabled else "active"
                print(
                    f"{account.username}\t{account.role}\t{','.join(account.languages)}\t"
                    f"{','.join(account.teams) or 'all teams'}\t{state}",
                    file=out,
                )
        return EXIT_OK
    except (Refused, UsernameTaken, WeakPassword, ValueError) as problem:
        message = f"username {problem} is taken" if isinstance(problem, UsernameTaken) else str(problem)
        print(f"refused: {message}", file=out)
        return EXIT_REFUSED
    except (OperationalError, ProgrammingError) as error:
        print(
            f"database error ({type(error.orig).__name__}); is it migrated? Run `python -m bot.store upgrade`.",
            file=out,
        )
        return EXIT_NO_DATABASE
    finally:
        engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.cli staff", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="create an account (password from a prompt or STAFF_PASSWORD)")
    adding.add_argument("username")
    adding.add_argument("--role", choices=ROLES, default=ROLE_STAFF)
    adding.add_argument("--languages", default="en", help="comma-separated: en,es")
    adding.add_argument("--teams", default="", help=f"comma-separated, any of {','.join(TEAMS)}; none = every team")
    adding.add_argument("--name", default="", help="the name colleagues see")
    for command, help_text in (
        ("password", "set a new password (ends their sessions)"),
        ("token", "make a new API token and print it once"),
        ("disable", "stop an account from signing in"),
        ("enable", "let a disabled account sign in again"),
    ):
        commands.add_parser(command, help=help_text).add_argument("username")
    commands.add_parser("list", help="every account")
    return parser


def _new_password(environ: Mapping[str, str], read_password: PasswordReader) -> str:
    from_env = environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    first = read_password("Password: ")
    if read_password("Same password again: ") != first:
        raise Refused("the two passwords differ")
    return first


def _choices(text: str, allowed: Sequence[str], what: str) -> list[str]:
    chosen = [item.strip().lower() for item in text.split(",") if item.strip()]
    unknown = [item for item in chosen if item not in allowed]
    if unknown or not chosen:
        raise Refused(f"unknown {what} {', '.join(unknown) or '(none given)'}; choose from {', '.join(allowed)}")
    return list(dict.fromkeys(chosen))


def _existing(staff: StaffStore, username: str) -> StaffAccount:
    account = staff.find_by_username(username)
    if account is None:
        raise Refused(f"no account {username!r}")
    return account


if __name__ == "__main__":
    sys.exit(main())
