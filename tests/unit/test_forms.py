"""Resume forms as the Prefect UI receives them (their JSON schema)."""

from datetime import date

import pytest

from tasks.human.wait import _with_defaults
from tasks.plans.forms import ApproveTermination, ChooseRemedy, RecordPlan, RequirePlan, VerifyPlan
from tasks.reviews.forms import DesigneeResponse, DirectorDecision, ReviewHeld, ReviewRequest, ScheduleReview

FORMS = [DesigneeResponse, ReviewRequest, ScheduleReview, ReviewHeld, DirectorDecision, RequirePlan, RecordPlan,
         VerifyPlan, ChooseRemedy, ApproveTermination]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_every_field_has_help_text_and_no_form_asks_who_decided(form):
    """The sign-in layer binds the signed-in staff member; the form does not ask for a name."""
    schema = form.model_json_schema()
    assert all(prop.get("description") for prop in schema["properties"].values())
    assert "decided_by" not in schema["properties"]
    assert "decided_by" not in schema.get("required", [])


def test_a_default_keeps_the_title_and_help_text_of_its_field():
    shown = _with_defaults(DesigneeResponse, "### heading", {"decision_date": date(2026, 11, 3)})
    prop = shown.model_json_schema()["properties"]["decision_date"]
    assert prop["default"] == "2026-11-03"
    assert prop["title"] == "Decision date" and "30-day window" in prop["description"]
    assert shown._description == "### heading"
    assert "decided_by" not in shown.model_json_schema()["properties"]


def test_a_time_that_is_not_hh_mm_is_refused_by_the_schema():
    schema = ScheduleReview.model_json_schema()["properties"]["review_time"]
    assert schema["pattern"] == r"^([01]\d|2[0-3]):[0-5]\d$"
