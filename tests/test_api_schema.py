"""Schemathesis over every operation of the API, in-process, with the object-level authorization check.

Each test is a run of Schemathesis's own engine (the one `st run` drives: examples, coverage, fuzzing
and stateful phases, every built-in check) against the ASGI app, with identities from a Web Fuzzing
Commons auth document:

- `alice` and `bob` each own an organization in a different district and are `peers`: every request
  goes out as alice, and the `object_level_authorization` check replays her reads of her own objects
  as bob, failing if he gets what only she may see. Bob never acts on his own, so the fuzzer cannot
  make him a member of her organization (accepting an invitation, say) and turn a legitimate read
  into a finding.
- `admin`, a system administrator, runs again the operations that refused alice (a 403 and never a
  2xx in her run: roles, regions, users, the audit log, verification, …), so they are exercised past
  their 403. The rest were exercised as alice already; running them all again as the administrator
  cost about 100 s a run and found nothing the first run could not. The list is taken from the
  first run rather than written down, so an operation that a new rule closes to ordinary users is
  fuzzed as the administrator without anyone remembering to add it.

The module is marked `slow`: CI runs it once, on PostgreSQL, as a step of its own (.ci/run).

Schemathesis calls the app on its own event-loop thread, so it cannot share the `client` fixture's
connection. Instead a second app on the same test database wraps its lifespan around one outer
transaction on that thread: every request runs in a savepoint inside it, and the run ends with a
rollback, so nothing the fuzzer writes reaches other tests.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import strategies as st
from schemathesis.core.result import Ok
from schemathesis.engine import Status, events, from_schema
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER
from schemathesis.python import asgi
from schemathesis.schemas import BaseSchema
from schemathesis.wfc.escalation import escalating_provider
from sqlalchemy.ext.asyncio import async_sessionmaker

from app.achievements.schemas import PATENT_NUMBER_FORMAT, PATENT_NUMBER_PATTERN
from app.core.identifiers import CREDIT_CODE_ALPHABET, credit_code_check_char, patent_check_char
from app.core.schemas import CREDIT_CODE_FORMAT, CREDIT_CODE_PATTERN, CROSS_FIELD_RULES
from app.main import create_app
from app.users import service as users_service
from tests import factories
from tests.conftest import make_settings

pytestmark = pytest.mark.slow
MAX_EXAMPLES = 20
ADMIN_EMAIL = "schema-admin@example.com"
API_KEY_CREATION = "POST /api/v1/organizations/{organization_id}/api-keys"
CREDIT_CODE_SHAPE = re.compile(CREDIT_CODE_PATTERN)
PATENT_NUMBER_SHAPE = re.compile(PATENT_NUMBER_PATTERN)
RANGE_FROM = re.compile(r"_from((?:_fen)?)$")


@dataclass(frozen=True)
class Identity:
    name: str
    token: str


def _with_cross_field_rules(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each request schema's cross-field rules back in the schema proper (as
    `allOf`), so that the bodies Schemathesis generates as valid satisfy them. The app states them
    under an extension key that client generators skip (app.core.schemas.CROSS_FIELD_RULES)."""
    document = copy.deepcopy(document)
    for schema in document.get("components", {}).get("schemas", {}).values():
        rules = schema.pop(CROSS_FIELD_RULES, None)
        if rules:
            schema["allOf"] = [*schema.get("allOf", []), *rules]
    return document


def _rolled_back_app(database_url: str) -> FastAPI:
    """An app whose requests all run in one outer transaction that its lifespan rolls back."""
    application = create_app(make_settings(database_url))
    application.openapi_schema = _with_cross_field_rules(application.openapi())
    original = application.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with original(app) as state, app.state.engine.connect() as connection:
            outer = await connection.begin()
            app.state.sessionmaker = async_sessionmaker(
                bind=connection,
                expire_on_commit=False,
                autoflush=False,
                join_transaction_mode="create_savepoint",
            )
            # No API creates the first administrator; the CLI does it the same way.
            async with app.state.sessionmaker() as session:
                await users_service.create_system_admin(
                    session, email=ADMIN_EMAIL, password=factories.PASSWORD, display_name="管理员"
                )
                await session.commit()
            try:
                yield state
            finally:
                await outer.rollback()

    application.router.lifespan_context = lifespan
    return application


@contextmanager
def _fuzzed_app(database_url: str) -> Iterator[FastAPI]:
    application = _rolled_back_app(database_url)
    try:
        yield application
    finally:
        # Runs the lifespan's exit on Schemathesis's loop: the rollback, then the engine's disposal.
        asgi.shutdown_lifespans()


@pytest.fixture
def fuzz_app(database_url: str) -> Iterator[FastAPI]:
    with _fuzzed_app(database_url) as application:
        yield application


def _sign_in(http: asgi.ASGIClient, email: str) -> str:
    response = http.post("/api/v1/auth/token", data={"username": email, "password": factories.PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _owner(http: asgi.ASGIClient, name: str, region_code: str) -> Identity:
    """A user who owns an organization of their own."""
    email = factories.unique_email(name)
    response = http.post(
        "/api/v1/users", json={"email": email, "password": factories.PASSWORD, "display_name": name}
    )
    assert response.status_code == 201, response.text
    token = _sign_in(http, email)
    region = http.get("/api/v1/regions", params={"q": region_code}).json()["items"][0]["id"]
    response = http.post(
        "/api/v1/organizations",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "name": f"{name} 科技有限公司",
            "kind": "enterprise",
            "legal_person_type": "100",
            "credit_code": factories.credit_code(),
            "region_id": region,
            "contact_phone": "13812345678",
            "contact_email": f"contact-{email}",
            "address": f"{name} 的地址",
        },
    )
    assert response.status_code == 201, response.text
    return Identity(name, token)


def _identities(fuzz_app: FastAPI) -> dict[str, Identity]:
    """Two owners of organizations in different districts, and the administrator."""
    with asgi.get_client(cast(Any, fuzz_app)) as http:  # starts the lifespan, i.e. the outer transaction
        made = [
            _owner(http, "alice", factories.HAIZHOU_CODE),
            _owner(http, "bob", factories.GANYU_CODE),
            Identity("admin", _sign_in(http, ADMIN_EMAIL)),
        ]
    return {identity.name: identity for identity in made}


@pytest.fixture
def identities(fuzz_app: FastAPI) -> dict[str, Identity]:
    return _identities(fuzz_app)


def _wfc_document(path: Path, *identities: Identity) -> str:
    document = {
        "auth": [
            {"name": i.name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {i.token}"}]}
            for i in identities
        ]
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def _config(wfc: dict[str, Any], operations: list[dict[str, Any]]) -> schemathesis.Config:
    defaults = schemathesis.Config().projects.default.checks
    accepted = defaults.positive_data_acceptance.expected_statuses
    rejected = defaults.negative_data_rejection.expected_statuses
    missing_header = defaults.missing_required_header.expected_statuses
    return schemathesis.Config.from_dict(
        {
            # A fixed seed keeps CI reproducible; set SCHEMATHESIS_SEED to explore other inputs locally.
            "seed": int(os.environ.get("SCHEMATHESIS_SEED", "20181008")),
            # Every built-in check is on by default, `object_level_authorization` included.
            "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
            "auth": {"wfc": wfc},
            "checks": {
                # The one valid If-Match is the resource's current ETag: server state that no schema can
                # express, so a generated value gets 412 (and none, 428) however valid the rest is.
                "positive_data_acceptance": {"expected-statuses": [*accepted, "412", "428"]},
                # Preconditions are judged before the content (RFC 9110, 13.2.1), so an invalid body
                # sent with a stale If-Match is refused with 412, as it should be.
                "negative_data_rejection": {"expected-statuses": [*rejected, "412"]},
                # If-Match is declared required; leaving it out is 428 precondition_required (RFC 6585),
                # unless the request fails without it anyway (RFC 9110, 13.2.1): no such resource
                # (404), or one whose state allows no change whatever the If-Match (409).
                "missing_required_header": {"expected-statuses": [*missing_header, "404", "409", "428"]},
            },
            # Each entry names one operation: `include-path` and `include-method` together would match
            # every operation on that path or with that method, not their intersection.
            "operations": [
                {
                    # Leaving an organization keeps the membership as history (status `removed`), readable
                    # by its user and re-opened by a new request (tests/organizations/test_memberships.py),
                    # so a DELETE there is a change of state, not the end of the resource.
                    "include-name": "GET /api/v1/memberships/{membership_id}",
                    "checks": {"use_after_free": {"enabled": False}},
                },
                {
                    # An account is shown only to itself and to administrators: one made by sign-up (open
                    # to anyone) is someone else's, and the administrator may revoke its own role (another
                    # system administrator granted first), after which its accounts are 404 too.
                    # tests/auth/test_roles.py and the object-authorization tests cover who sees whom.
                    "include-path-regex": r"^/api/v1/users/\{user_id\}",
                    "checks": {"ensure_resource_availability": {"enabled": False}},
                },
                {
                    # A year's days must lie in the year of the path, appear once, and make-up working
                    # days fall on weekends: rules across path and body, and about the calendar, that
                    # JSON Schema cannot state, so schema-valid bodies are mostly (rightly) 422.
                    "include-name": "PUT /api/v1/holidays/years/{year}",
                    "checks": {"positive_data_acceptance": {"enabled": False}},
                },
                {
                    # A demand's budget is a range (min <= max) or negotiable (面议), never both and never
                    # neither, and the budget filter is a range too: orderings between fields that JSON
                    # Schema cannot state. tests/demands covers those rules. (Achievements state theirs as
                    # cross-field rules, app.listings.schemas.amount_or_negotiable, and stay checked.)
                    "include-path-regex": r"^/api/v1/demands",
                    "checks": {"positive_data_acceptance": {"enabled": False}},
                },
                {
                    # A contract's body carries the registrar's rules across fields (the subtype of the
                    # type, signing date not in the future, validity in order, the buyer not the
                    # seller, deductions within the amount, GB/T 2260 area codes and GB 32100 check
                    # characters, the parties' organizations existing): schema-valid bodies are mostly
                    # (rightly) 422. tests/contracts/test_validation.py covers each rule. A return or a
                    # refusal needs findings, a rule across the path's action and the body.
                    "include-name-regex": r"^(POST /api/v1/contracts|PUT /api/v1/contracts/\{contract_id\}"
                    r"|POST /api/v1/contracts/\{contract_id\}/(change|\{action\}))$",
                    "checks": {"positive_data_acceptance": {"enabled": False}},
                },
                {
                    # A tally takes a year or a range given by both ends in order, not both: rules
                    # across parameters that JSON Schema cannot state, so schema-valid queries are
                    # often (rightly) 422. tests/statistics covers those rules.
                    "include-path-regex": r"^/api/v1/statistics/tally",
                    "checks": {"positive_data_acceptance": {"enabled": False}},
                },
                {
                    # An import's file must be a real CSV or XLSX laid out as the template: content the
                    # schema can only call binary, so generated files are (rightly) 415 or 422.
                    # tests/imports covers good and bad files, row by row.
                    "include-name": "POST /api/v1/imports",
                    "checks": {"positive_data_acceptance": {"enabled": False}},
                },
                *operations,
            ],
            # Nothing persisted between runs: each run starts from the same empty knowledge.
            "cache": {"enabled": False},
        }
    )


def _credit_codes() -> st.SearchStrategy[str]:
    """Valid GB 32100 codes: the check character is beyond JSON Schema, so the schema names a format."""
    first17 = st.tuples(
        st.sampled_from("123456789ANY"), st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=16, max_size=16)
    ).map("".join)
    return first17.map(lambda head: head + credit_code_check_char(head))


def _with_check_character(value: object) -> object:
    """A code of the right shape, given its right check character; anything else unchanged."""
    if isinstance(value, str) and CREDIT_CODE_SHAPE.match(value):
        head = value[:17].upper()
        return head + credit_code_check_char(head)
    return value


def _patent_numbers() -> st.SearchStrategy[str]:
    """Valid application numbers (since 2003 and before), some written with the ZL of a granted one."""
    digits = st.text(alphabet="0123456789", min_size=12, max_size=12)
    types = st.sampled_from("12389")
    new = st.tuples(digits, types).map(lambda parts: parts[0][:4] + parts[1] + parts[0][5:])
    old = st.tuples(digits, types).map(lambda parts: parts[0][:2] + parts[1] + parts[0][3:8])
    numbers = st.one_of(new, old).map(lambda head: f"{head}.{patent_check_char(head)}")
    return st.tuples(st.sampled_from(["", "ZL"]), numbers).map("".join)


def _with_patent_check_characters(patents: object) -> object:
    """Patents whose numbers have the right shape get their right check character, and a number
    listed twice is listed once; anything else unchanged."""
    if not isinstance(patents, list):
        return patents
    fixed: dict[str, object] = {}
    for patent in patents:
        number = patent.get("application_number") if isinstance(patent, dict) else None
        if not isinstance(number, str) or not PATENT_NUMBER_SHAPE.match(number):
            return patents
        head = number.upper().removeprefix("ZL")[:-2]
        fixed.setdefault(head, {**patent, "application_number": f"{head}.{patent_check_char(head)}"})
    return list(fixed.values())


def _future(value: object) -> object:
    """A past time-zoned date-time moved a month ahead; anything else (a negative case) unchanged."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return value
    if moment is None or moment.tzinfo is None or moment > datetime.now(UTC):
        return value
    return (datetime.now(UTC) + timedelta(days=30)).isoformat()


def _ordered_ranges(query: dict[str, Any]) -> dict[str, Any]:
    """A range filter's ends in order (`<field>_from` <= `<field>_to`; an inverted range is a 422
    that tests/conventions/test_ranges.py covers): swapped when both are of one comparable kind."""
    ordered = dict(query)
    for low in [name for name in query if RANGE_FROM.search(name)]:
        high = RANGE_FROM.sub(lambda found: f"_to{found.group(1)}", low)
        a, b = ordered.get(low), ordered.get(high)
        if type(a) is type(b) and isinstance(a, int | str) and a > b:  # type: ignore[operator]
            ordered[low], ordered[high] = b, a
    return ordered


def _domain_rules(context: schemathesis.HookContext, case: schemathesis.Case[Any], kwargs: Any) -> None:
    """Rules the schema states only in words, applied to each request before it is sent.

    The coverage phase draws boundary values from the schema alone (it ignores registered formats and
    `map_*` hooks), so the check character of a credit code, the future of an API key's expiry and
    the order of a range filter's ends are fixed here, in every phase; Schemathesis re-classifies a
    case an edit made valid.
    """
    if isinstance(case.query, dict):
        case.query = _ordered_ranges(case.query)
    if not isinstance(case.body, dict):
        return
    body: dict[str, Any] = dict(case.body)
    if "credit_code" in body:
        body["credit_code"] = _with_check_character(body["credit_code"])
    if "patents" in body:
        body["patents"] = _with_patent_check_characters(body["patents"])
    if case.operation.label == API_KEY_CREATION and "expires_at" in body:
        body["expires_at"] = _future(body["expires_at"])
    case.body = body


@pytest.fixture(scope="module", autouse=True)
def domain_knowledge() -> Iterator[None]:
    """What a generator must know to send valid data where the schema cannot say it all."""
    schemathesis.openapi.format(CREDIT_CODE_FORMAT, _credit_codes())
    schemathesis.openapi.format(PATENT_NUMBER_FORMAT, _patent_numbers())
    # `before_call` hooks are global in Schemathesis: registered for this module's runs only.
    hook = schemathesis.hook("before_call")(_domain_rules)
    try:
        yield
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(hook)


def _response_of(recorder: Any, case_id: str) -> str:
    interaction = recorder.interactions.get(case_id)
    if interaction is None or interaction.response is None:
        return "no response recorded"
    response = interaction.response
    return f"{response.status_code} {response.content[:300].decode(errors='replace')}"


def _describe(event: events.EngineEvent) -> list[str]:
    if isinstance(event, events.ScenarioFinished) and event.status in (Status.FAILURE, Status.ERROR):
        found = []
        for case_id, checks in event.recorder.checks.items():
            for check in checks:
                if check.failure_info is None:
                    continue
                failure = check.failure_info.failure
                found.append(
                    f"[{event.phase.value}] {event.recorder.label}: {check.name}: {failure.title}\n"
                    f"{failure.message}\n{check.failure_info.code_sample}\n"
                    f"-> {_response_of(event.recorder, failure.case_id or case_id)}"
                )
        return found or [f"[{event.phase.value}] {event.recorder.label}: {event.status.value}"]
    if isinstance(event, events.NonFatalError):
        return [f"error in {event.label}: {event.info.format()}"]
    if isinstance(event, events.FatalError):
        return [f"fatal: {event.exception!r}"]
    if isinstance(event, events.EngineFinished):
        return [f"after run: {failure.title}: {failure.message}" for failure in event.failures]
    return []


def _run(schema: BaseSchema) -> list[str]:
    """The run's problems, each once."""
    problems: list[str] = []
    for event in from_schema(schema).execute():
        problems.extend(_describe(event))
    return list(dict.fromkeys(problems))


def _assert_no_problems(problems: list[str], schema: BaseSchema) -> None:
    assert not problems, f"{len(problems)} problem(s), seed {schema.config.seed}:\n\n" + "\n\n".join(problems)


@contextmanager
def _answers_to(identity: Identity) -> Iterator[dict[str, set[int]]]:
    """The statuses each operation answered `identity` with while the block runs (not bob's replays,
    nor the requests a check sends without credentials)."""
    answers: dict[str, set[int]] = defaultdict(set)
    bearer = f"Bearer {identity.token}"

    def after_call(_context: schemathesis.HookContext, case: schemathesis.Case[Any], response: Any) -> None:
        if response.request.headers.get("Authorization") == bearer:
            answers[case.operation.label].add(response.status_code)

    hook = schemathesis.hook("after_call")(after_call)
    try:
        yield answers
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(hook)


def _refused(answers: dict[str, set[int]]) -> list[str]:
    """Operations that refused the caller (403) and never did what was asked (no 2xx)."""
    return sorted(
        label
        for label, statuses in answers.items()
        if 403 in statuses and not any(200 <= status < 300 for status in statuses)
    )


@dataclass(frozen=True)
class PeersRun:
    schema: BaseSchema
    reads: list[str]
    checked: list[str]
    problems: list[str]
    has_provider: bool
    probed: bool
    refused: list[str]


@pytest.fixture(scope="module")
def peers_run(
    domain_knowledge: None, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> PeersRun:
    """Alice's run with bob as her peer, once for the module: its outcome is checked by
    test_peers_cannot_read_each_others_objects, and the operations that refused her are what the
    administrator's run covers."""
    with _fuzzed_app(database_url) as fuzz_app:
        identities = _identities(fuzz_app)
        wfc = {
            "path": _wfc_document(
                tmp_path_factory.mktemp("wfc") / "peers.json", identities["alice"], identities["bob"]
            ),
            "user": "alice",
            "peers": ["alice", "bob"],
        }
        config = _config(
            wfc,
            [
                {
                    # Alice may ask to join bob's organization, and then he, as its owner, reads her
                    # request by design: a membership belongs to its user and to the organization's
                    # admins. tests/organizations/test_object_authorization.py covers outsiders
                    # reading them.
                    "include-name": "GET /api/v1/memberships/{membership_id}",
                    "checks": {"object_level_authorization": {"enabled": False}},
                },
            ],
        )
        schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=config)
        operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
        reads = [op for op in operations if op.method == "get"]
        checked = [
            op.label
            for op in reads
            if schema.config.checks_config_for(operation=op).object_level_authorization.enabled
        ]
        with _answers_to(identities["alice"]) as answers:
            problems = _run(schema)
        provider = escalating_provider(schema)
    # The lifespan has ended (its rollback done) before the administrator's run starts its own.
    return PeersRun(
        schema=schema,
        reads=[op.label for op in reads],
        checked=checked,
        problems=problems,
        has_provider=provider is not None,
        probed=bool(getattr(provider, "_probed", {"unknown"})),
        refused=_refused(answers),
    )


def test_peers_cannot_read_each_others_objects(peers_run: PeersRun) -> None:
    assert len(peers_run.checked) == len(peers_run.reads) - 1, peers_run.checked  # all but the one excluded
    _assert_no_problems(peers_run.problems, peers_run.schema)
    # The check did replay alice's reads as bob (it stays silent when it finds nothing to replay).
    assert peers_run.has_provider
    assert peers_run.probed, "object_level_authorization probed nothing"


def test_operations_refused_to_users_as_an_administrator(
    peers_run: PeersRun, fuzz_app: FastAPI, identities: dict[str, Identity], tmp_path: Path
) -> None:
    # Operations only a platform role may use; an empty list would mean alice's run saw no refusal.
    assert {"GET /api/v1/audit-events", "POST /api/v1/users/{user_id}/roles"} <= set(peers_run.refused)
    wfc = {"path": _wfc_document(tmp_path / "admin.json", identities["admin"])}
    everything = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=_config(wfc, []))
    # An exclusion, not `include`: the WFC auth document already adds an include, and includes add up.
    refused = set(peers_run.refused)
    schema = everything.exclude(func=lambda context: context.operation.label not in refused)
    run = sorted(result.ok().label for result in schema.get_all_operations() if isinstance(result, Ok))
    assert run == peers_run.refused
    _assert_no_problems(_run(schema), schema)
