"""The API allowlist (models/access.py) and reading a sign-in credential: deny by default."""

import base64

import pytest

from models.access import Caller, refusal
from tasks.signin.identity import Unauthorized, decode_basic
from tasks.signin.passwords import WeakPassword, check_strength

RUN = "/api/flow_runs/0b0e4c4e-7b53-4b5e-9a0f-1c2d3e4f5a6b"


@pytest.mark.parametrize("caller, method, path, query, allowed", [
    (Caller.staff, "GET", RUN, "", True),
    (Caller.staff, "POST", "/api/flow_runs/filter", "", True),
    (Caller.staff, "POST", "/api/artifacts/latest/filter", "", True),
    (Caller.staff, "POST", "/api/v2/concurrency_limits/filter", "", True),
    (Caller.staff, "POST", "/api/ui/flow_runs/history", "", True),
    (Caller.staff, "POST", f"{RUN}/resume", "", True),
    (Caller.staff, "POST", f"{RUN}/input/filter", "", True),
    (Caller.staff, "DELETE", RUN, "", False),
    (Caller.staff, "POST", f"{RUN}/set_state", "", False),
    (Caller.staff, "PATCH", RUN, "", False),
    (Caller.staff, "POST", "/api/deployments/", "", False),
    (Caller.staff, "POST", "/api/flow_runs/bulk_delete", "", False),
    (Caller.staff, "PUT", "/api/saved_searches/", "", False),
    (Caller.staff, "GET", "/api/block_documents/x", "include_secrets=true", False),
    (Caller.admin, "DELETE", RUN, "", True),
    (Caller.admin, "GET", "/api/block_documents/x", "include_secrets=true", True),
    (Caller.service, "POST", f"{RUN}/set_state", "", True),
    (Caller.service, "POST", "/api/deployments/", "", True),
    (Caller.service, "POST", f"{RUN}/resume", "", False),
], ids=["staff-read", "staff-query", "staff-latest-artifacts", "staff-v2-query", "staff-ui-history", "staff-resume",
        "staff-read-inputs", "staff-delete", "staff-set-state", "staff-patch", "staff-deployment",
        "staff-bulk-delete", "staff-saved-search", "staff-secrets", "admin-delete", "admin-secrets",
        "service-set-state", "service-deployment", "service-resume"])
def test_who_may_call_what(caller, method, path, query, allowed):
    reason = refusal(caller, method, path, query)
    assert (reason is None) is allowed
    if reason:
        assert "administrator" in reason or "staff member" in reason


def test_a_credential_is_the_staff_id_a_colon_and_the_password():
    token = base64.b64encode(b"S-001:pass:with:colons").decode()
    assert decode_basic(f"Basic {token}") == ("S-001", "pass:with:colons")


def _basic(raw: bytes) -> str:
    return f"Basic {base64.b64encode(raw).decode()}"


@pytest.mark.parametrize("header", ["Bearer abc", "Basic", "Basic !!!", _basic(b"nocolon"), _basic(b":empty-user"),
                                    _basic(bytes([0xff, 0xfe]))],
                         ids=["bearer", "empty", "not-base64", "no-colon", "no-user", "not-utf8"])
def test_a_malformed_credential_is_unauthorized_with_a_reason(header):
    with pytest.raises(Unauthorized, match="."):
        decode_basic(header)


@pytest.mark.parametrize("password", ["short-1", "S-001-long-enough!", "aaaaaaaaaaaaaaab"],
                         ids=["short", "contains-the-id", "few-characters"])
def test_a_weak_password_is_refused(password):
    with pytest.raises(WeakPassword):
        check_strength("S-001", password)


def test_a_long_varied_password_is_accepted():
    check_strength("S-001", "Correct-Horse-2026")
