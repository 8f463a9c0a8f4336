"""Signing in and roles at the API, against `cwa server` (docs/architecture.md, "Signing in")."""

import base64
import json
import time
from datetime import date

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from models.tables import AuditEvent, Staff, StaffRole
from tasks.context import transaction
from tasks.signin.passwords import set_password
from tests.conftest import API_URL, PREFECT_PORT, RUNNER, SERVICE, STAFF_PASSWORD
from tests.workflow import as_staff, new_review, resume, wait_final, wait_for_task

UI = f"http://127.0.0.1:{PREFECT_PORT}"


def _audits(action: str, subject_id: str | None = None) -> list[AuditEvent]:
    with transaction() as session:
        query = select(AuditEvent).where(AuditEvent.action == action)
        if subject_id:
            query = query.where(AuditEvent.subject_id == subject_id)
        return list(session.exec(query.order_by(AuditEvent.id)).all())


def _retrying(method: str, path: str, **kw) -> httpx.Response:
    """Like Prefect's own client, try again while the server on SQLite answers 503 (busy)."""
    for attempt in range(6):
        response = httpx.request(method, f"{API_URL}{path}", timeout=10, **kw)
        if response.status_code != 503:
            break
        time.sleep(0.5 * (attempt + 1))
    return response


def _new_staff(staff_id: str, role: str) -> None:
    with transaction() as session:
        session.add(Staff(id=staff_id, full_name="Test Person", email=f"{staff_id.lower()}@dss.mo.example"))
        session.flush()
        session.add(StaffRole(staff_id=staff_id, role=role))
        set_password(session, staff_id=staff_id, password=STAFF_PASSWORD, actor="test")


def test_the_ui_is_told_to_show_its_login_page_and_health_stays_open(stack):
    assert httpx.get(f"{UI}/ui-settings", timeout=10).json()["auth"] == "BASIC"
    assert httpx.get(f"{API_URL}/health", timeout=10).status_code == 200


def test_no_credential_or_a_wrong_password_is_401(stack):
    anonymous = httpx.post(f"{API_URL}/flow_runs/filter", json={}, timeout=10)
    assert anonymous.status_code == 401 and "STAFF-ID:password" in anonymous.json()["detail"]
    assert "www-authenticate" not in anonymous.headers  # the UI's own login page, not the browser's box
    wrong = httpx.post(f"{API_URL}/flow_runs/filter", json={}, timeout=10, auth=("S-002", "not-the-password"))
    assert wrong.status_code == 401 and "wrong" in wrong.json()["detail"]
    assert _retrying("POST", "/flow_runs/filter", json={}, auth=as_staff("S-002")).status_code == 200


def test_repeated_failures_lock_the_account_and_the_lock_is_audited(stack):
    _new_staff("S-LOCK", "hearing_officer")  # a role no test of the sweep reminds
    for _ in range(5):
        guess = httpx.get(f"{API_URL}/admin/version", timeout=10, auth=("S-LOCK", "guess-guess-guess"))
        assert guess.status_code == 401
    locked = httpx.get(f"{API_URL}/admin/version", timeout=10, auth=("S-LOCK", STAFF_PASSWORD))
    assert locked.status_code == 401 and "locked until" in locked.json()["detail"]
    [event] = _audits("signin.locked", "S-LOCK")
    assert event.detail["failures"] == 5 and event.detail["address"] == "127.0.0.1"


def test_an_inactive_staff_member_is_refused(stack):
    _new_staff("S-GONE", "hearing_officer")
    with transaction() as session:
        staff = session.get(Staff, "S-GONE")
        staff.active = False
        session.add(staff)
    response = httpx.get(f"{API_URL}/admin/version", timeout=10, auth=("S-GONE", STAFF_PASSWORD))
    assert response.status_code == 401 and "no longer active" in response.json()["detail"]


def test_a_forged_decided_by_is_refused_and_audited(stack):
    run_id = new_review("HR-SIGN-FORGE", as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")
    response = httpx.post(f"{API_URL}/flow_runs/{run_id}/resume", timeout=10, auth=as_staff("S-002"), json={
        "run_input": {"decision": "may provide case management", "reasons": "Fine.",
                      "decision_date": "2026-11-03", "decided_by": "S-001"}})
    assert response.status_code == 403 and "signed in as S-002" in response.json()["detail"]
    [event] = _audits("signin.forged_identity", run_id)
    assert (event.actor, event.detail["claimed"]) == ("S-002", "S-001")
    assert wait_for_task(run_id, "designee-response").claimed_by is None


def test_a_service_identity_cannot_resume_a_human_task(stack):
    run_id = new_review("HR-SIGN-SVC", as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")
    for service in (SERVICE, RUNNER):
        response = httpx.post(f"{API_URL}/flow_runs/{run_id}/resume", timeout=10, auth=service, json={
            "run_input": {"decision": "may provide case management", "reasons": "x", "decision_date": "2026-11-03"}})
        assert response.status_code == 403 and "only a signed-in staff member" in response.json()["detail"]
    resume(run_id, decision="may provide case management", reasons="Fine.", decision_date=date(2026, 11, 3),
           decided_by="S-001")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    [answered] = _audits("human_task.answered", "HR-SIGN-SVC")
    assert (answered.actor, answered.detail["method"]) == ("S-001", "password")


def test_staff_read_and_resume_but_only_an_administrator_changes_prefect(stack):
    run_id = new_review("HR-SIGN-ADMIN", as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")
    designee = as_staff("S-001")
    assert _retrying("GET", f"/flow_runs/{run_id}", auth=designee).status_code == 200
    assert _retrying("POST", "/artifacts/filter", json={}, auth=designee).status_code == 200
    for method, path in (("DELETE", f"/flow_runs/{run_id}"), ("POST", f"/flow_runs/{run_id}/set_state"),
                         ("POST", "/variables/"), ("POST", "/deployments/"), ("PATCH", f"/flow_runs/{run_id}")):
        response = httpx.request(method, f"{API_URL}{path}", json={}, timeout=10, auth=designee)
        assert response.status_code == 403, (method, path)
        assert "only an administrator" in response.json()["detail"]
    assert any(e.detail["method"] == "DELETE" for e in _audits("signin.refused") if e.actor == "S-001")
    admin = as_staff("S-010")
    created = _retrying("POST", "/variables/", json={"name": "sign_in_test", "value": "1"}, auth=admin)
    assert created.status_code == 201
    assert _retrying("DELETE", "/variables/name/sign_in_test", auth=admin).status_code == 204


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.one_of(
    st.text(max_size=80),
    st.binary(max_size=60).map(lambda b: "Basic " + base64.b64encode(b).decode()),
    st.text(min_size=1, max_size=40).map(lambda t: "Basic " + base64.b64encode(t.encode()).decode()),
))
def test_no_authorization_header_gets_through_or_breaks_the_server(stack, header):
    try:
        response = httpx.post(f"{API_URL}/flow_runs/filter", json={}, timeout=10,
                              headers={"Authorization": header.encode("utf-8", "surrogatepass").decode("latin-1")})
    except (httpx.LocalProtocolError, UnicodeError, ValueError):
        return  # not a header that HTTP can carry
    assert response.status_code == 401


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    st.binary(max_size=200),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                 max_leaves=12).map(lambda v: json.dumps({"run_input": v}).encode()),
))
def test_no_resume_body_breaks_the_server_or_answers_for_someone(stack, body):
    run_id = "00000000-0000-0000-0000-000000000001"  # no such run: nothing may be resumed
    response = httpx.post(f"{API_URL}/flow_runs/{run_id}/resume", content=body, timeout=10,
                          headers={"content-type": "application/json"}, auth=as_staff("S-002"))
    assert response.status_code in (403, 404, 409, 413, 422), response.text


def _tags(run_id: str) -> list[str]:
    return _retrying("GET", f"/flow_runs/{run_id}", auth=SERVICE).json()["tags"]


def test_a_waiting_run_names_the_role_it_waits_for_and_the_inbox_links_to_it(stack):
    run_id = new_review("HR-SIGN-TAG", as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")
    assert "awaiting:designee" in _tags(run_id)
    inbox = _retrying("POST", "/artifacts/filter", auth=as_staff("S-003"),
                       json={"artifacts": {"key": {"any_": ["staff-inbox"]}}, "sort": "CREATED_DESC", "limit": 1})
    [latest] = inbox.json()
    assert "HR-SIGN-TAG" in latest["data"] and f"[open](http://127.0.0.1:{PREFECT_PORT}/runs/flow-run/{run_id})" \
        in latest["data"]
    resume(run_id, decision="may not provide case management", reasons="Relevant history.",
           decision_date=date(2026, 11, 3), decided_by="S-001")
    wait_for_task(run_id, "review-request-1")
    assert "awaiting:designee" in _tags(run_id)  # the next task waits for a designee again
    resume(run_id, received_on=date(2026, 12, 20), reasons="Late.", decided_by="S-001")
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    assert not [t for t in _tags(run_id) if t.startswith("awaiting:")]


def test_the_server_keeps_a_saved_filter_of_waiting_runs_per_role(stack):
    saved = _retrying("POST", "/saved_searches/filter", json={}, auth=as_staff("S-003")).json()
    director = next(s for s in saved if s["name"] == "Waiting for a director")
    values = {f["property"]: f["value"] for f in director["filters"]}
    assert values["state"] == ["Suspended"] and values["tag"] == ["awaiting:director"]
    assert {s["name"] for s in saved} >= {"Waiting for a designee", "Waiting for a contract administrator"}


SSO = "X-Test-Signed-In-User"


def test_single_sign_on_trusts_the_user_header_only_from_the_proxy(stack):
    trusted = _retrying("GET", "/admin/version", headers={SSO: "s-002"})
    assert trusted.status_code == 200  # a staff ID, any case
    by_email = _retrying("GET", "/admin/version", headers={SSO: "Marcus.Ebeling@dss.mo.example"})
    assert by_email.status_code == 200
    unknown = httpx.get(f"{API_URL}/admin/version", headers={SSO: "nobody@example.org"}, timeout=10)
    assert unknown.status_code == 401 and "not an active staff member" in unknown.json()["detail"]
    elsewhere = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"))
    assert elsewhere.get(f"{API_URL}/admin/version", headers={SSO: "S-002"}, timeout=10).status_code == 401
    assert httpx.get(f"{UI}/ui-settings", headers={SSO: "S-002"}, timeout=10).json()["auth"] is None  # no login page
    assert elsewhere.get(f"{UI}/ui-settings", headers={SSO: "S-002"}, timeout=10).json()["auth"] == "BASIC"


def test_an_answer_through_single_sign_on_is_bound_to_that_person(stack):
    run_id = new_review("HR-SIGN-SSO", as_of=date(2026, 11, 2))
    wait_for_task(run_id, "designee-response")
    response = httpx.post(f"{API_URL}/flow_runs/{run_id}/resume", headers={SSO: "S-002"}, timeout=10, json={
        "run_input": {"decision": "may provide case management", "reasons": "Fine.", "decision_date": "2026-11-03"}})
    assert response.status_code == 201 and response.json()["status"] == "ACCEPT", response.text
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"
    [answered] = _audits("human_task.answered", "HR-SIGN-SSO")
    assert (answered.actor, answered.detail["method"]) == ("S-002", "sso")


def test_event_subscribers_sign_in_with_their_sockets_first_message_and_staff_cannot(stack):
    """A worker's cancellation and suspension observers subscribe to Prefect's events over a socket that signs in
    with its first message: a service identity gets the stream; staff, a wrong secret or no token are closed."""
    import asyncio

    from prefect.events.clients import PrefectEventSubscriber
    from prefect.settings import PREFECT_API_AUTH_STRING, temporary_settings

    async def subscribe(auth: str) -> str:
        with temporary_settings(updates={PREFECT_API_AUTH_STRING: auth}):
            try:
                async with PrefectEventSubscriber(reconnection_attempts=0):
                    return "subscribed"
            except Exception as exc:  # the subscriber's own error when the socket is closed at sign-in
                return str(exc)

    assert asyncio.run(subscribe(":".join(SERVICE))) == "subscribed"
    for auth, reason in ((f"S-001:{STAFF_PASSWORD}", "staff use the UI"), (f"{SERVICE[0]}:wrong", ""),
                         ("no-colon", "")):
        refused = asyncio.run(subscribe(auth))
        assert refused.startswith("Unable to authenticate to the event stream") and reason in refused, refused
