"""Schemathesis against a live server: no 500s, answers as documented (#18).

Every operation of /api/openapi.json gets generated requests (valid ones
and, for the parameters, invalid ones) with an admin key of every scope;
each answer must not be a server error and must match the response schema
the document declares for its status. A stateful run then chains the
Admin API's operations (create, read, change, publish) through the links
Schemathesis infers from the document.
"""

import json
import re
import subprocess
import urllib.request
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.server import MASTHEAD

pytestmark = pytest.mark.apiclients

CHECKS = [not_a_server_error, response_schema_conformance]
# Enough to find the bad inputs each operation has, within ~3 minutes in all.
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}
QUICK = settings(
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


@pytest.fixture(scope="module")
def admin_key(server) -> str:
    _base, env = server
    created = subprocess.run(
        [MASTHEAD, "integration", "create", "Schemathesis"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"Admin API key: (\S+)", created)
    assert match, created
    return match.group(1)


@pytest.fixture(scope="module")
def schema(server):
    base, _env = server
    loaded = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
    return loaded


def with_real_references(case, sections: list[str]) -> None:
    """Point a generated new article at a real section, so some are created.

    Random slugs name no section, author or image, and every create would
    be a 400; the negative run still sends those.
    """
    body = case.body
    if case.operation.label == "POST /api/v1/admin/articles" and isinstance(body, dict):
        body["section"] = sections[len(str(body.get("title", ""))) % len(sections)]
        body.update(authors=[], tags=[], hero_image_id=None)
        body.pop("slug", None)


def test_every_operation_answers_as_documented(server, schema, admin_key):
    base, _env = server
    headers = {"Authorization": f"Bearer {admin_key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    with urllib.request.urlopen(f"{base}/api/v1/sections", timeout=30) as answer:
        sections = [s["slug"] for s in json.load(answer)["sections"]]
    failures = []
    statuses: Counter[tuple[str, int]] = Counter()
    for operation in operations:
        for mode, count in EXAMPLES.items():

            @settings(QUICK, max_examples=count)
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case) -> None:
                if case.meta and case.meta.generation.mode.is_positive:
                    with_real_references(case, sections)
                response = case.call_and_validate(
                    base_url=base, headers=headers, checks=CHECKS, timeout=30
                )
                statuses[case.operation.label, response.status_code] += 1

            try:
                run()
            except Unsatisfiable:
                # Case: nothing to make invalid (no parameters, no body).
                assert mode is GenerationMode.NEGATIVE, operation.label
            except Exception as error:  # noqa: BLE001 - gathered, reported below
                failures.append(f"{operation.label} ({mode}): {error}")
    assert not failures, "\n\n".join(failures)
    # The run reached every operation, and the writes did succeed sometimes.
    assert {label for label, _status in statuses} == {o.label for o in operations}
    assert statuses["POST /api/v1/admin/articles", 201] > 0, statuses
    assert statuses["GET /api/v1/articles", 200] > 0, statuses


def test_admin_api_statefully(server, schema, admin_key):
    base, _env = server
    machine = schema.as_state_machine()

    steps: list[tuple[str, int]] = []

    class AdminMachine(machine):
        def after_call(self, response, case):
            steps.append((case.operation.label, response.status_code))

        def get_call_kwargs(self, case):
            return {
                "base_url": base,
                "headers": {"Authorization": f"Bearer {admin_key}"},
                "timeout": 30,
            }

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    AdminMachine.run(
        settings=settings(
            QUICK,
            max_examples=25,
            stateful_step_count=6,
            phases=[Phase.generate],
        )
    )
    # Links were found and followed: a created article was read or changed.
    created = [label for label, status in steps if status == 201]
    assert created and len(steps) > len(created), steps
