"""Resume forms (the RunInput classes of tasks/*/forms.py) fed any payload by hypothesis: each gives a valid form or
a pydantic ValidationError, never another exception; `decided_by` is on no form's schema, and a payload that names
someone else than the signed-in person is refused by the sign-in layer (tasks/signin/binding.py claim_task), which
then records only the audit row of the refusal and leaves the task unclaimed."""

import inspect
from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from models.access import Caller
from models.tables import HumanTask
from tasks.context import transaction
from tasks.seed import STAFF
from tasks.handup import forms as handup_forms
from tasks.human.fields import StaffAnswer
from tasks.plans import forms as plan_forms
from tasks.renewal import forms as renewal_forms
from tasks.reviews import forms as review_forms
from tasks.signin.binding import claim_task, release_claim
from tasks.signin.identity import Identity
from tests.faults.bad_input import FUZZ, counts, json_values, seeded_database

FORMS = {cls.__name__: cls for module in (review_forms, plan_forms, handup_forms, renewal_forms)
         for _, cls in inspect.getmembers(module, inspect.isclass)
         if issubclass(cls, StaffAnswer) and cls is not StaffAnswer}
RUN = "00000000-0000-4000-8000-00000000fa11"
ROSTER = {staff_id for staff_id, *_ in STAFF}


def test_every_form_is_found():
    assert len(FORMS) >= 15, sorted(FORMS)


@st.composite
def payloads(draw, form) -> dict:
    """The form's own fields and some others, each with any JSON value (or a plausible one)."""
    names = [*form.model_fields, "decided_by", "extra"]
    plausible = st.sampled_from(["", "yes", "no", "2026-11-02", "2026-02-30", "approve", "deny", "S-001", 0, -1,
                                 10**20, 1.5, True, None, "x" * 5000, ["a"], {"a": 1}])
    keys = draw(st.lists(st.sampled_from(names) | st.text(max_size=8), unique=True, max_size=len(names) + 2))
    return {key: draw(plausible | json_values) for key in keys}


@pytest.mark.parametrize("name", FORMS)
def test_any_payload_gives_a_form_or_a_validation_error(name):
    form = FORMS[name]
    assert "decided_by" not in form.model_json_schema().get("properties", {})

    @FUZZ
    @given(payload=payloads(form))
    def check(payload):
        try:
            answer = form.model_validate(payload)
        except ValidationError:
            return
        assert isinstance(answer, form)

    check()


@pytest.fixture(scope="module")
def task_row(tmp_path_factory):
    """One open human task waiting for a designee, in a database of its own."""
    with seeded_database(tmp_path_factory.mktemp("bad-forms")):
        with transaction() as session:
            session.add(HumanTask(flow_run_id=RUN, key="designee-response", kind="designee response",
                                  subject_type="hiring_review", subject_id="HR-FZ-1", required_role="designee",
                                  due_date=date(2026, 11, 3), pause_key="designee-response"))
        yield


def _claimed_by() -> str | None:
    with transaction() as session:
        return session.query(HumanTask).filter_by(flow_run_id=RUN).one().claimed_by


identities = st.builds(Identity, id=st.sampled_from(["S-001", "S-003", "S-006", "S-NOPE", ""]) | st.text(max_size=40),
                       caller=st.just(Caller.staff),
                       roles=st.frozensets(st.sampled_from(["designee", "director", "admin", "eligibility_worker"])),
                       method=st.sampled_from(["password", "sso"]), address=st.text(max_size=80))


@FUZZ
@given(identity=identities, claimed=json_values)
@example(identity=Identity(id="S-006", caller=Caller.staff, roles=frozenset({"designee"}), method="password",
                           address=""), claimed=None)  # any staff member signed in with the role may claim
def test_a_forged_decided_by_is_refused_and_only_audited(task_row, identity, claimed):
    before = counts()
    reason = claim_task(RUN, identity, claimed)
    after = counts()
    if claimed in (None, "", identity.id):
        if reason is None:  # signed in with the designee role and on the roster: the claim is theirs, released again
            claimed_by = _claimed_by()
            release_claim(RUN, identity)
            assert identity.id in ROSTER and "designee" in identity.roles and claimed_by == identity.id
        else:
            assert after.pop("audit_event") - before.pop("audit_event") in (0, 1) and after == before
    else:
        assert "cannot be given in the name of" in reason
        assert after.pop("audit_event") == before.pop("audit_event") + 1 and after == before
    assert _claimed_by() is None
