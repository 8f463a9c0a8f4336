"""Deployment parameters: Prefect checks a run's parameters against the flow's signature. Every flow of flows/*.py,
fed any parameters by hypothesis, gives valid parameters or a ParameterTypeError naming the problem, never another
exception; and valid but unknown record IDs stop at the flow's first task with NotFound naming the ID, writing
nothing."""

import importlib
import pkgutil
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prefect import Flow
from prefect.exceptions import ParameterTypeError, SignatureMismatchError
from prefect.utilities.callables import parameter_schema

import flows
from models.errors import NotFound
from tests.faults.bad_input import FUZZ, counts, json_values, seeded_database

FLOWS = {obj.name: obj for info in pkgutil.iter_modules(flows.__path__) if info.name not in ("serve", "cli")
         for obj in vars(importlib.import_module(f"flows.{info.name}")).values() if isinstance(obj, Flow)}
VALUES = st.sampled_from(["HR-1", "", "2026-11-02", "2026-02-30", "not a date", "2026-11", "20261102", 0, -1, 10**30,
                          1.5, True, None, [], {}, ["2026-11-02"], "x" * 10_000, "é漢字🙂"]) | json_values


def test_every_flow_is_found():
    assert len(FLOWS) == 9, sorted(FLOWS)  # the nine deployments of flows/serve.py


@st.composite
def parameters(draw, flow) -> dict:
    names = list(parameter_schema(flow.fn).properties)
    keys = draw(st.lists(st.sampled_from([*names, "extra"]) | st.text(max_size=8), unique=True,
                         max_size=len(names) + 2))
    return {key: draw(VALUES) for key in keys}


@pytest.mark.parametrize("name", FLOWS)
def test_any_parameters_are_validated_or_refused_clearly(name):
    flow = FLOWS[name]

    @FUZZ
    @given(params=parameters(flow))
    def check(params):
        try:
            valid = flow.validate_parameters(params)
        except (ParameterTypeError, SignatureMismatchError) as refused:
            assert str(refused)
            return
        for key, value in valid.items():
            if key in ("as_of", "year_start", "coverage_month") and value is not None:
                assert isinstance(value, date)

    check()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    with seeded_database(tmp_path_factory.mktemp("bad-parameters")):
        yield


def _loaders():
    from tasks.handup.enrolment import check_application
    from tasks.handup.hearings import load_hearing
    from tasks.handup.removal import load_batch
    from tasks.plans.records import load_plan
    from tasks.renewal.records import open_renewal
    from tasks.reviews.records import load_review

    return {
        "handup-hearing": (lambda id: load_hearing.fn(id, None)),
        "handup-enrolment": (lambda id: check_application.fn(id, date(2026, 1, 5), None)),
        "handup-removal": (lambda id: load_batch.fn(id, None)),
        "improvement-plan": (lambda id: load_plan.fn(id, None)),
        "contract-renewal": (lambda id: open_renewal.fn(id, date(2030, 10, 1), None)),
        "hiring-review": (lambda id: load_review.fn(id)),
    }


@pytest.mark.parametrize("name", ["handup-hearing", "handup-enrolment", "handup-removal", "improvement-plan",
                                  "contract-renewal", "hiring-review"])
def test_an_unknown_record_id_is_not_found_and_writes_nothing(database, name):
    load = _loaders()[name]

    @FUZZ
    @given(record_id=st.sampled_from(["NOPE-1", "HR-NOPE", " ", "[/bold]", "'; DELETE FROM staff; --"])
           | st.text(min_size=1, max_size=40))
    def check(record_id):
        before = counts()
        with pytest.raises(NotFound) as refused:
            load(record_id)
        assert repr(record_id)[1:-1][:10] in str(refused.value) or record_id[:10] in str(refused.value)
        assert counts() == before

    check()
