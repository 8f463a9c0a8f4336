"""Rendering notices (tasks.notices.render_notice): every notice type, autoescaping, stable hashes, missing elements.

No database and no SMTP: render_notice is a pure function of the notice type and its context.
"""

import html
from copy import deepcopy

import pytest
from jinja2 import Environment, meta

from models.notice_types import NOTICE_TYPES
from tasks.notices.render import TEMPLATE_DIR, MissingNoticeFields, render_notice

SCRIPT = "<script>alert('x')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;"

COMMON = {
    "division_name": "Missouri Children's Division",
    "notice_date": "March 4, 2025",
    "recipient_name": "Acme Care",
}
TASKS = [
    {"kind": "designee-decision", "subject_id": "HR-0001", "due_date": "2025-03-05",
     "role": "designee", "link": "http://127.0.0.1:4200/runs/flow-run/1"},
    {"kind": "final-decision", "subject_id": "HR-0002", "due_date": "2025-03-06",
     "role": "director", "link": "http://127.0.0.1:4200/runs/flow-run/2"},
]

# notice type -> (a complete sample context, the free-text element that reaches the body)
SAMPLES: dict[str, tuple[dict, str]] = {
    "exclusion-mandatory": (
        {"review_id": "HR-0001", "prospect_id": "P-0001", "paragraphs": "(7)(C)1.A"},
        "paragraphs",
    ),
    "designee-decision": (
        {"review_id": "HR-0001", "prospect_id": "P-0001", "decision": "may not perform",
         "reasons": "Recent conviction, no evidence of rehabilitation.", "decision_date": "March 3, 2025",
         "review_right": "The contractor may ask for an administrative review in writing.",
         "request_deadline": "March 18, 2025"},
        "reasons",
    ),
    "review-request-refused": (
        {"review_id": "HR-0001", "received_on": "March 20, 2025", "reason": "it was received late",
         "rule_cited": "13 CSR 35-32.020 (7)(C)2.B"},
        "reason",
    ),
    "review-scheduled": (
        {"review_id": "HR-0001", "review_at": "April 2, 2025 10:00", "review_place": "Room 240, Broadway Building"},
        "review_place",
    ),
    "final-decision": (
        {"review_id": "HR-0001", "prospect_id": "P-0001", "decision": "upheld",
         "reasons": "The designee's findings are supported.", "final_on": "April 10, 2025"},
        "reasons",
    ),
    "task-escalation": ({"count": 2, "tasks": TASKS}, "tasks"),
    "task-reminder": ({"count": 2, "tasks": TASKS}, "tasks"),
    "adverse-action": (
        {"action": "removal from the Hand-Up program", "effective_date": "January 31, 2027",
         "reasons": "Premiums unpaid for more than sixty days.", "rule_paragraph": "13 CSR 35-32.040 (4)(C)",
         "hearing_right": "You may ask for a fair hearing.", "how_to_ask": "Write or call the division.",
         "last_day_to_ask": "April 30, 2027"},
        "reasons",
    ),
    "pip-required": ({"contract_id": "K-001", "plan_id": "PIP-1", "outcomes": "placement stability",
                      "reasons": "Below target for two quarters."}, "reasons"),
    "pip-accepted": ({"contract_id": "K-001", "plan_id": "PIP-1", "effective_on": "2026-12-01", "days": 90,
                      "deadline": "2027-03-01"}, "plan_id"),
    "pip-reminder": ({"contract_id": "K-001", "plan_id": "PIP-1", "deadline": "2027-03-01", "days_left": 14},
                     "plan_id"),
    "pip-closed": ({"contract_id": "K-001", "plan_id": "PIP-1", "outcome": "verified and closed",
                    "detail": "Actions verified."}, "detail"),
    "pip-breach": ({"contract_id": "K-001", "plan_id": "PIP-1", "deadline": "2027-03-01"}, "plan_id"),
    "pip-remedy": ({"contract_id": "K-001", "plan_id": "PIP-1", "remedy": "terminate the contract",
                    "detail": "Terminated for breach.", "effective_on": "2027-04-01"}, "detail"),
    "handup-enrolled": ({"participant_id": "HU-0001", "enrolled_on": "March 3, 2025", "premium": "$88.00",
                         "family_size": 3, "limit": "$1,940.82", "first_month": "April 2025"}, "participant_id"),
    "handup-refused": ({"participant_id": "HU-0001", "decided_on": "March 3, 2025",
                        "reasons": "- consented 91 day(s) after losing eligibility (13 CSR 35-32.040 (1)(D))"},
                       "reasons"),
    "handup-premium": ({"participant_id": "HU-0001", "coverage_month": "April 2025", "amount": "$88.00",
                        "due_on": "April 30, 2025", "credit": "$10.00", "amount_to_pay": "$78.00",
                        "how_to_pay": "Send a check with your participant number."}, "how_to_pay"),
    "handup-opted-out": ({"participant_id": "HU-0001", "effective_date": "March 3, 2025"}, "participant_id"),
    "hearing-refused": ({"participant_id": "HU-0001", "requested_on": "June 10, 2025", "issued_on": "March 3, 2025",
                         "last_day_to_ask": "June 1, 2025", "days_after": 99}, "participant_id"),
    "hearing-decision": ({"participant_id": "HU-0001", "decision": "upheld",
                          "reasons": "The premiums were unpaid for more than sixty days.",
                          "effect": "The removal stands.", "decided_on": "July 1, 2025"}, "reasons"),
    "renewal-preliminary": ({"contract_id": "K-001", "renewal_id": "RN-K-001-2025-10-01",
                             "year": "2025-10-01 to 2026-09-30", "review_closes_on": "2026-10-20",
                             "outcomes": "- Permanency within 12 months: 24.68% (target 25.00%): not met",
                             "how_to_correct": "Update the case management system."}, "how_to_correct"),
    "renewal-decision": ({"contract_id": "K-001", "renewal_id": "RN-K-001-2025-10-01",
                          "next_year": "the contract year from 2026-10-01", "decision": "renew",
                          "reasons": "Every outcome met.", "detail": "The contract goes on."}, "reasons"),
}

TYPES = sorted(NOTICE_TYPES)


def sample(notice_type: str) -> dict:
    return {**COMMON, **deepcopy(SAMPLES[notice_type][0])}


def with_free_text(notice_type: str, text: str) -> dict:
    """The sample context with `text` in the element a clerk or decision-maker types freely."""
    context = sample(notice_type)
    field = SAMPLES[notice_type][1]
    if field == "tasks":
        context["tasks"][0]["kind"] = text
    else:
        context[field] = text
    return context


def template_variables(name: str) -> set[str]:
    env = Environment()
    return meta.find_undeclared_variables(env.parse((TEMPLATE_DIR / name).read_text()))


def test_every_notice_type_has_a_sample_here():
    assert set(SAMPLES) == set(NOTICE_TYPES)


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_sample_context_carries_every_required_element(notice_type):
    assert set(NOTICE_TYPES[notice_type].required) <= set(sample(notice_type))


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_every_body_template_variable_is_a_declared_required_element(notice_type):
    assert template_variables(f"{notice_type}.txt.j2") <= set(NOTICE_TYPES[notice_type].required)


@pytest.mark.parametrize("layout", ["layout.txt.j2", "layout.html.j2"])
def test_layout_uses_only_common_elements_and_render_frame(layout):
    frame = {"body", "intro", "sections", "contact", "subject", "rule", "reference"}
    assert template_variables(layout) <= set(COMMON) | frame


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_renders_subject_text_and_html(notice_type):
    kind = NOTICE_TYPES[notice_type]
    context = sample(notice_type)
    rendered = render_notice(notice_type, context)

    assert rendered.subject == kind.subject.format(**context)
    assert rendered.text.strip() and rendered.html.strip()
    for part in (rendered.text, html.unescape(rendered.html)):
        assert context["division_name"] in part
        assert context["notice_date"] in part
        assert context["recipient_name"] in part
        assert kind.rule in part
    assert rendered.html.lstrip().lower().startswith("<!doctype html>")
    assert 'style="' in rendered.html  # CSS inlined for mail clients that drop <style>
    assert "{{" not in rendered.text and "{{" not in rendered.html


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_html_escapes_free_text_and_plain_text_keeps_it_verbatim(notice_type):
    rendered = render_notice(notice_type, with_free_text(notice_type, SCRIPT))

    assert SCRIPT not in rendered.html
    assert "<script" not in rendered.html
    assert ESCAPED_SCRIPT in rendered.html
    assert SCRIPT in rendered.text


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_html_escapes_recipient_name_in_the_layout(notice_type):
    context = {**sample(notice_type), "recipient_name": "Smith & <b>Sons</b>"}
    body = render_notice(notice_type, context).html

    assert "To: Smith &amp; &lt;b&gt;Sons&lt;/b&gt;" in body
    assert "<b>" not in body


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_rendering_twice_gives_the_same_content_hash(notice_type):
    first = render_notice(notice_type, sample(notice_type))
    second = render_notice(notice_type, sample(notice_type))

    assert first == second
    assert len(first.content_hash) == 64 and int(first.content_hash, 16) >= 0


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_content_hash_changes_with_the_content(notice_type):
    changed = {**sample(notice_type), "recipient_name": "Best Kids"}

    assert render_notice(notice_type, changed).content_hash != render_notice(notice_type, sample(notice_type)).content_hash


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_missing_elements_are_all_named_in_declaration_order(notice_type):
    required = NOTICE_TYPES[notice_type].required
    dropped = [required[0], required[2], required[-1]]  # a common one, another common one, a type-specific one
    context = {k: v for k, v in sample(notice_type).items() if k not in dropped}

    with pytest.raises(MissingNoticeFields) as caught:
        render_notice(notice_type, context)

    assert caught.value.names == dropped
    for name in dropped:
        assert name in str(caught.value)


@pytest.mark.parametrize("blank", [None, "", "   "], ids=["none", "empty", "whitespace"])
@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_blank_elements_count_as_missing(notice_type, blank):
    context = {**sample(notice_type), "recipient_name": blank, "notice_date": blank}

    with pytest.raises(MissingNoticeFields) as caught:
        render_notice(notice_type, context)

    assert caught.value.names == ["notice_date", "recipient_name"]


@pytest.mark.parametrize("notice_type", TYPES, ids=TYPES)
def test_empty_context_names_every_required_element(notice_type):
    with pytest.raises(MissingNoticeFields) as caught:
        render_notice(notice_type, {})

    assert caught.value.names == list(NOTICE_TYPES[notice_type].required)
