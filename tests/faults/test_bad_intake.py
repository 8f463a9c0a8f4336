"""The intake JSON of `cwa review intake` (models/intake.py ScreeningResult) and `cwa handup apply`
(models/handup_intake.py HandUpApplicationIn), fed by hypothesis: any JSON value, bytes that are not JSON or not
UTF-8, and mutations of a valid document (a key dropped, a value of another type, numbers out of range, garbage
dates). Each is recorded or refused with exit 1 and a clear error; a refused document writes nothing."""

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.handup.demo import sample_application
from tests.faults.bad_input import FUZZ, invoke_cleanly, json_scalars, json_values, seeded_database, unique


@pytest.fixture(scope="module", autouse=True)
def database(tmp_path_factory):
    with seeded_database(tmp_path_factory.mktemp("bad-intake")):
        yield


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("bad-intake-files")


def screening() -> dict:
    review = unique("HR-FZ-")
    return {"review_id": review, "contractor_id": "C-001", "prospect_id": f"P-{review}", "prospect_name": "Some One",
            "screened_on": "2026-11-02", "division_employee": False, "release_authorization": True,
            "offences": [{"category": "other", "level": "misdemeanor", "disposition": "convicted",
                          "offence_date": "2019-05-01", "disposition_date": "2019-08-01"}]}


def application() -> dict:
    return json.loads(sample_application(unique("HU-FZ-")).model_dump_json())


COMMANDS = {
    "review intake": (screening, lambda path: ["review", "intake", path, "--no-start"]),
    "handup apply": (application, lambda path: ["handup", "apply", path, "--by", "S-006", "--no-start"]),
}
GARBAGE = ["", "2026-02-30", "02/11/2026", "yesterday", "0000-01-01", "99999-01-01", -1, 10**30, 1e308, -0.0, True,
           None, [], {}, "x" * 10_000, "é漢字🙂", "NaN", "<script>", "[/bold]", "'; DROP TABLE staff; --"]
RAW = [b"", b"   ", b"{", b"NaN", b"[1e999]", b'{"review_id": NaN}', b"\xff\xfe{}", b"\xef\xbb\xbf{}", b"null",
       b"[" * 50_000 + b"]" * 50_000, b'{"a": 1, "a": 2}', b"\x00"]


def paths(document) -> list[tuple]:
    """Every (key, ...) path to a value inside the document."""
    found = []
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        found.append((key,))
        if isinstance(value, (dict, list)):
            found += [(key, *rest) for rest in paths(value)]
    return found


@st.composite
def mutated(draw, make) -> dict:
    """A valid document with one to three changes: a key dropped, a value replaced, a key added."""
    document = make()
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(document) or [("extra",)]))
        parent = document
        for key in where[:-1]:
            parent = parent[key]
        change = draw(st.sampled_from(["drop", "garbage", "value", "add"]))
        if change == "drop" and isinstance(parent, dict):
            parent.pop(where[-1], None)
        elif change == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(json_scalars)
        elif isinstance(parent, (dict, list)):
            parent[where[-1]] = draw(st.sampled_from(GARBAGE) if change == "garbage" else json_values)
    return document


def _write(folder, data: bytes) -> str:
    path = folder / f"{unique('doc-')}.json"
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("name", COMMANDS)
def test_any_json_value_is_refused_cleanly(name, folder):
    _, arguments = COMMANDS[name]

    @FUZZ
    @given(value=json_values)
    def check(value):
        result = invoke_cleanly(arguments(_write(folder, json.dumps(value).encode())))
        assert result.exit_code == 1

    check()


@pytest.mark.parametrize("name", COMMANDS)
def test_a_mutated_document_is_recorded_or_refused_cleanly(name, folder):
    make, arguments = COMMANDS[name]

    @FUZZ
    @given(document=mutated(make))
    def check(document):
        invoke_cleanly(arguments(_write(folder, json.dumps(document).encode())))

    check()


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("data", RAW, ids=range(len(RAW)))
def test_bytes_that_are_not_a_json_document_are_refused(name, data, folder):
    _, arguments = COMMANDS[name]
    assert invoke_cleanly(arguments(_write(folder, data))).exit_code == 1


@pytest.mark.parametrize("name", COMMANDS)
def test_the_valid_document_is_recorded_once_and_then_refused(name, folder):
    make, arguments = COMMANDS[name]
    path = _write(folder, json.dumps(make()).encode())
    assert invoke_cleanly(arguments(path)).exit_code == 0
    again = invoke_cleanly(arguments(path))
    assert again.exit_code == 1 and "already" in again.output
