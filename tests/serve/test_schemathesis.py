"""Property-based tests of the API from its own OpenAPI spec (schemathesis): no input gives a 5xx, and every
answer has the shape the spec documents for its status.

Bounded: ``MAX_EXAMPLES`` generated requests per operation (plus
schemathesis' explicit examples), each with a timeout, so the file stops by
itself in well under a minute on two cores.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

MAX_EXAMPLES = 12


def _spec() -> dict:
    """The app's own OpenAPI spec, built from the same code on an in-memory database (the pytest plugin's
    ``from_fixture`` does not work with this pytest); ``test_served_spec_is_this_spec`` checks they agree."""
    from detente.serve.app import create_app
    from detente.settings import Settings

    app = create_app(Settings(db=":memory:"))
    try:
        return app.openapi()
    finally:
        app.state.database.close()


SPEC = _spec()
schema = schemathesis.openapi.from_dict(SPEC)
# valid requests and invalid ones (wrong types, out-of-range values, missing fields): both must get a 2xx or 4xx
schema.config.generation.update(modes=list(GenerationMode))


def test_served_spec_is_this_spec(served):
    import httpx

    assert httpx.get(f"{served.base_url}/openapi.json", timeout=10).json() == SPEC


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_request_makes_a_server_error(case, served):
    # the key lets POST /articles reach the ingest code instead of stopping at 401
    case.call_and_validate(base_url=served.base_url, headers={"X-API-Key": served.key}, timeout=60,
                           checks=[not_a_server_error, response_schema_conformance])
