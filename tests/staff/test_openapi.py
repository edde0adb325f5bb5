"""The OpenAPI document: well formed, in step with the app's routes both ways, and describing the
answers the API really gives (real responses are validated against its schemas)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, RefResolver

from bot.answers import SECTOR_VALUES
from bot.handoff.sla import SLA_STATES
from bot.staff.api import API_PREFIX, OPENAPI_FILE
from bot.staff.queue import STATUS_CHOICES, TEAMS, VIEWS, QueueFilters
from bot.store.vocabulary import CONSENT_STATUSES, HANDOFF_ASSIGNED, HANDOFF_CLOSED, HANDOFF_WAITING, LANGUAGES
from tests.staff.test_api import api_user
from tests.staff.test_events_pages import People

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def _openapi_path(flask_rule: str) -> str:
    """/api/v1/handoffs/<int:handoff_id> -> /api/v1/handoffs/{handoff_id}"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", flask_rule)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), f"only local references are used: {ref}"
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _schemas(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object: the named ones, and those inside parameters, bodies and responses."""
    for name, schema in document["components"]["schemas"].items():
        yield f"components.schemas.{name}", schema

    def inside(where: str, node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "schema":
                    yield f"{where}.schema", value
                else:
                    yield from inside(f"{where}.{key}", value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from inside(f"{where}[{index}]", value)

    yield from inside("paths", document["paths"])
    for section in ("parameters", "responses"):
        yield from inside(f"components.{section}", document["components"][section])


# --- well formed -------------------------------------------------------------------------------


def test_it_is_an_openapi_3_1_document(document):
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["info"]["title"] and document["info"]["version"]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"bearerAuth": []}]


def test_every_reference_resolves(document):
    refs = set(_refs(document))
    assert len(refs) > 10
    for ref in refs:
        assert _resolve(document, ref) is not None, ref


def test_every_schema_is_valid_json_schema_2020_12(document):
    schemas = list(_schemas(document))
    assert len(schemas) > 20
    for where, schema in schemas:
        problem = next(Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(schema), None)
        assert problem is None, f"{where}: {problem.message if problem else ''}"


def test_operations_have_unique_ids_responses_and_declare_their_path_parameters(document):
    ids = []
    for path, method, operation in _operations(document):
        ids.append(operation["operationId"])
        assert operation["responses"], f"{method} {path}"
        item_parameters = document["paths"][path].get("parameters", [])
        declared = {
            parameter["name"]
            for parameter in (_resolve(document, p["$ref"]) if "$ref" in p else p for p in item_parameters + operation.get("parameters", []))
            if parameter["in"] == "path"
        }
        assert declared == set(re.findall(r"{([^}]+)}", path)), f"{method} {path}"
        if operation.get("security") != []:
            assert "401" in operation["responses"], f"{method} {path} needs a token but documents no 401"
    assert len(ids) == len(set(ids))


def test_only_the_document_itself_is_public(document):
    public = [(path, method) for path, method, operation in _operations(document) if operation.get("security") == []]
    assert public == [(f"{API_PREFIX}/openapi.json", "get")]


def test_the_documented_choices_are_the_codes(document):
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in document["paths"][f"{API_PREFIX}/handoffs"]["get"]["parameters"]
    }
    schemas = document["components"]["schemas"]
    assert set(parameters["view"]["enum"]) == set(VIEWS)
    assert set(parameters["status"]["enum"]) == set(STATUS_CHOICES)
    assert (parameters["view"]["default"], parameters["status"]["default"]) == (QueueFilters().view, QueueFilters().status)
    assert schemas["Team"]["enum"] == list(TEAMS) == [*SECTOR_VALUES, "general"]
    assert schemas["Language"]["enum"] == list(LANGUAGES)
    assert schemas["Sla"]["properties"]["state"]["enum"] == list(SLA_STATES)
    assert schemas["HandoffFields"]["properties"]["status"]["enum"] == [HANDOFF_WAITING, HANDOFF_ASSIGNED, HANDOFF_CLOSED]
    seeker = schemas["HandoffDetail"]["properties"]["seeker"]
    assert seeker["properties"]["consent_status"]["enum"] == list(CONSENT_STATUSES)


# --- in step with the app ----------------------------------------------------------------------


def test_every_api_route_is_documented_and_every_documented_path_is_a_route(console, document):
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in console.app.url_map.iter_rules()
        if rule.rule.startswith(API_PREFIX + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, method, _ in _operations(document)}
    assert len(routes) >= 13
    assert routes - documented == set(), "routes missing from openapi.yaml"
    assert documented - routes == set(), "documented paths the app does not have"


def test_the_document_is_served_as_json_without_a_token_with_this_consoles_address(console_factory, document):
    console = console_factory(public_url="https://console.example.org/")
    response = console.client().get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    served = response.get_json()
    assert served["servers"] == [{"url": "https://console.example.org"}]
    assert {key: value for key, value in served.items() if key != "servers"} == {
        key: value for key, value in document.items() if key != "servers"
    }


# --- describing the real answers ---------------------------------------------------------------


class Checked:
    """Calls the API and checks each answer against the document's schema for that operation
    and status code (an undocumented status code fails too)."""

    def __init__(self, console, document: dict[str, Any], account) -> None:
        self.user = api_user(console, account)
        self.document = document
        self.resolver = RefResolver.from_schema(document)
        self.checked: set[tuple[str, str, int]] = set()

    def get(self, template: str, path: str, **query) -> dict[str, Any]:
        return self._check(template, "get", self.user.get(path, **query))

    def post(self, template: str, path: str, body=None) -> dict[str, Any]:
        return self._check(template, "post", self.user.post(path, body))

    def _check(self, template: str, method: str, response) -> dict[str, Any]:
        responses = self.document["paths"][template][method]["responses"]
        status = str(response.status_code)
        assert status in responses, f"{method} {template} answered {status}, which is not documented"
        documented = responses[status]
        if "$ref" in documented:
            documented = _resolve(self.document, documented["$ref"])
        schema = documented["content"]["application/json"]["schema"]
        body = response.get_json()
        errors = sorted(Draft202012Validator(schema, resolver=self.resolver).iter_errors(body), key=str)
        assert not errors, f"{method} {template} {status}: " + "; ".join(error.message for error in errors[:5])
        self.checked.add((template, method, response.status_code))
        return body


def test_real_answers_match_the_documented_schemas(console, document):
    people = People(console)
    event = people.event()
    registration = people.register(event, people.seeker("Ana"))
    handoff = console.open_handoff(summary={"first_name": "<b>Ana</b>"})
    console.seeker_writes(handoff, "hello?")
    console.intake.save_answers(handoff.channel, handoff.address, {"zip_code": "60623"})
    account, colleague = console.add_staff(), console.add_staff()
    api = Checked(console, document, account)
    other = Checked(console, document, colleague)
    one = f"{API_PREFIX}/handoffs/{{handoff_id}}"
    at = f"{API_PREFIX}/handoffs/{handoff.id}"

    assert api.get(f"{API_PREFIX}/handoffs", f"{API_PREFIX}/handoffs")["handoffs"]
    api.get(f"{API_PREFIX}/handoffs", f"{API_PREFIX}/handoffs", view="nobody")
    api.post(f"{one}/claim", f"{at}/claim")
    other.post(f"{one}/claim", f"{at}/claim")
    other.post(f"{one}/release", f"{at}/release")
    other.post(f"{one}/reply", f"{at}/reply", {"text": "hi"})
    api.post(f"{one}/reply", f"{at}/reply", {"text": ""})
    api.post(f"{one}/reply", f"{at}/reply", {"text": "Hi, this is Rosa."})
    api.post(f"{one}/notes", f"{at}/notes", {"text": "call back"})
    api.post(f"{one}/labels", f"{at}/labels", {"labels": ["callback"]})
    detail = api.get(one, at)
    assert detail["screening"] is not None and len(detail["transcript"]) == 2 and detail["notes"]
    api.get(one, f"{API_PREFIX}/handoffs/999999")
    api.post(f"{one}/release", f"{at}/release")
    api.post(f"{one}/close", f"{at}/close")
    api.post(f"{one}/close", f"{at}/close")
    api.get(one, at)  # closed: reply_blocked is an error object

    assert api.get(f"{API_PREFIX}/events", f"{API_PREFIX}/events")["events"]
    api.get(f"{API_PREFIX}/events/{{code}}", f"{API_PREFIX}/events/{event.code}")
    check_in = f"{API_PREFIX}/events/{{code}}/check-in"
    api.post(check_in, f"{API_PREFIX}/events/{event.code}/check-in", {"confirmation_code": registration.confirmation_code})
    api.post(check_in, f"{API_PREFIX}/events/{event.code}/check-in", {"confirmation_code": "QQQQQQ"})
    api.get(f"{API_PREFIX}/reports/funnel", f"{API_PREFIX}/reports/funnel")
    api.get(f"{API_PREFIX}/reports/funnel", f"{API_PREFIX}/reports/funnel", **{"from": "soon"})

    unauthenticated = console.client().get(f"{API_PREFIX}/events")
    api._check(f"{API_PREFIX}/events", "get", unauthenticated)

    statuses = {status for _, _, status in api.checked | other.checked}
    assert statuses == {200, 201, 401, 403, 404, 409, 422}
