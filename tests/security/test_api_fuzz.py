"""The open-data API under schemathesis: generated requests for every operation in
/api/v1/openapi.json (in-process, against the WSGI app) never get a server error, and
every response matches the documented status codes, content types and schemas."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.security_world import World


def test_api_operations_hold_their_contract(world: World) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", world.app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6, operations  # every documented operation is fuzzed

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=checks)

        fuzz()


def test_a_nul_byte_in_a_parameter_is_a_documented_400(world: World) -> None:
    """Found by the fuzzer: the NUL guard's 400 must be part of the API's contract."""
    client = world.client(None)
    response = client.get("/api/v1/consultations?topic=a%00b")
    assert response.status_code == 400
    assert response.json == {"error": "Bad Request", "status": 400}
    spec = client.get("/api/v1/openapi.json").json
    assert spec is not None
    for item in spec["paths"].values():
        for operation in item.values():
            assert "400" in operation["responses"]
