"""Runs the Rasa server (`python -m bot.rasa_server run ...`, same arguments as `rasa run`) with
one measured fix applied first.

Rasa 3.6 checks every action server response with `jsonschema.validate`, which re-checks the
schema itself against the JSON Schema meta-schema on every call. Profiling the running server
(py-spy, a full intake) put 69% of its CPU time there. We keep the check and its errors, but build
each schema's validator once.
"""
from __future__ import annotations

import json
import sys
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for

_validators: dict[str, Any] = {}
_original_validate = jsonschema.validate


def validate_with_cached_validator(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """Same contract as `jsonschema.validate`: raises the best-matching ValidationError."""
    if args or kwargs:
        return _original_validate(instance, schema, cls, *args, **kwargs)
    key = json.dumps(schema, sort_keys=True, default=str)
    validator = _validators.get(key)
    if validator is None:
        validator_class = cls or validator_for(schema)
        validator_class.check_schema(schema)
        validator = _validators[key] = validator_class(schema)
    error = best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


def install() -> None:
    jsonschema.validate = validate_with_cached_validator


def main() -> None:
    install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
