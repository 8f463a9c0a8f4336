"""US postal addresses (models.address): what may go by first-class mail, and the printed block."""

import pytest
from pydantic import ValidationError

from models.address import MAX_LINE, AddressError, PostalAddress, validate_address
from models.errors import DomainError

GOOD = {"name": "Acme Care", "line1": "100 Main St", "city": "Jefferson City", "state": "MO", "zip_code": "65101"}


def addr(**changes) -> dict:
    data = dict(GOOD, **changes)
    return {k: v for k, v in data.items() if v is not ...}  # ... drops the field


# (id, changes to GOOD, expected field values after validation)
VALID = [
    ("zip5", {}, {"zip_code": "65101", "line2": ""}),
    ("zip-plus-4", {"zip_code": "63103-2814"}, {"zip_code": "63103-2814"}),
    ("line2", {"line2": "Suite 400"}, {"line2": "Suite 400"}),
    ("line2-none", {"line2": None}, {"line2": ""}),
    ("line2-blank", {"line2": "   "}, {"line2": ""}),
    ("lowercase-state", {"state": "mo"}, {"state": "MO"}),
    ("whitespace-stripped", {"name": "  Acme Care ", "city": " St. Louis "}, {"name": "Acme Care", "city": "St. Louis"}),
    ("dc", {"city": "Washington", "state": "DC", "zip_code": "20001"}, {"state": "DC"}),
    ("puerto-rico", {"city": "San Juan", "state": "PR", "zip_code": "00901"}, {"state": "PR"}),
    ("guam", {"city": "Hagatna", "state": "GU", "zip_code": "96910"}, {"state": "GU"}),
    ("military-ae", {"line1": "Unit 2050 Box 4190", "city": "APO", "state": "AE", "zip_code": "09096"}, {"state": "AE"}),
    ("military-ap", {"line1": "PSC 473 Box 12", "city": "FPO", "state": "AP", "zip_code": "96349"}, {"state": "AP"}),
    ("city-punctuation", {"city": "O'Fallon", "zip_code": "63366"}, {"city": "O'Fallon"}),
    ("city-hyphen-dot", {"city": "Winston-Salem", "state": "NC", "zip_code": "27101"}, {"city": "Winston-Salem"}),
    ("city-accent", {"city": "Cañon City", "state": "CO", "zip_code": "81212"}, {"city": "Cañon City"}),
    ("line-at-limit", {"line1": "x" * MAX_LINE}, {"line1": "x" * MAX_LINE}),
]

# (id, changes to GOOD, field named, text in the message)
INVALID = [
    ("name-blank", {"name": "  "}, "name", "name is blank"),
    ("name-missing", {"name": ...}, "name", "name is missing"),
    ("name-too-long", {"name": "N" * 41}, "name", "name is 41 characters long (at most 40"),
    ("name-newline", {"name": "Acme\nCare"}, "name", "name contains a line break"),
    ("line1-blank", {"line1": ""}, "line1", "line1 is blank"),
    ("line1-too-long", {"line1": "1" * 41}, "line1", "line1 is 41 characters long"),
    ("line2-too-long", {"line2": "S" * 41}, "line2", "line2 is 41 characters long"),
    ("line2-tab", {"line2": "Suite\t4"}, "line2", "line2 contains a line break or control character"),
    ("city-blank", {"city": ""}, "city", "city is blank"),
    ("city-digits", {"city": "District 9"}, "city", "city 'District 9' may hold only letters"),
    ("city-comma", {"city": "Jefferson City, MO"}, "city", "city 'Jefferson City, MO' may hold only"),
    ("city-last-line-too-long", {"city": "A" * 30, "zip_code": "65101-1234"}, "city", "characters long"),
    ("state-unknown", {"state": "XX"}, "state", "state 'XX' is not a US state code"),
    ("state-full-name", {"state": "Missouri"}, "state", "state 'Missouri' is not a US state code"),
    ("state-one-letter", {"state": "M"}, "state", "state 'M' is not a US state code"),
    ("state-blank", {"state": ""}, "state", "state '' is not a US state code"),
    ("zip-short", {"zip_code": "1234"}, "zip_code", "zip_code '1234' is not a ZIP or ZIP+4"),
    ("zip-letters", {"zip_code": "6510A"}, "zip_code", "zip_code '6510A' is not a ZIP or ZIP+4"),
    ("zip-nine-no-hyphen", {"zip_code": "651011234"}, "zip_code", "is not a ZIP or ZIP+4"),
    ("zip-plus-3", {"zip_code": "65101-123"}, "zip_code", "is not a ZIP or ZIP+4"),
    ("zip-number", {"zip_code": 65101}, "zip_code", "zip_code: Input should be a valid string"),
    ("military-state-city", {"state": "AE"}, "city", "city 'Jefferson City' must be APO, FPO or DPO"),
    ("military-city-state", {"city": "APO"}, "state", "state 'MO' must be AA, AE or AP"),
    ("unknown-field", {"country": "US"}, "country", "country is not an address field"),
]


@pytest.mark.parametrize("changes, expected", [v[1:] for v in VALID], ids=[v[0] for v in VALID])
def test_valid_addresses(changes, expected):
    address = validate_address(addr(**changes))
    assert isinstance(address, PostalAddress)
    for field, value in expected.items():
        assert getattr(address, field) == value


@pytest.mark.parametrize("changes, field, message", [v[1:] for v in INVALID], ids=[v[0] for v in INVALID])
def test_each_bad_field_is_named(changes, field, message):
    with pytest.raises(AddressError) as caught:
        validate_address(addr(**changes))
    assert caught.value.fields == [field]
    assert message in str(caught.value)
    assert isinstance(caught.value, DomainError)


@pytest.mark.parametrize("changes, fields", [
    ({"state": "XX", "zip_code": "1234"}, ["state", "zip_code"]),
    ({"name": "", "line1": "", "city": "K9", "state": "ZZ", "zip_code": "x"},
     ["name", "line1", "city", "state", "zip_code"]),
    ({"line2": "L" * 50, "state": "Mo.", "country": "US"}, ["line2", "state", "country"]),
], ids=["state-and-zip", "five-fields", "line2-state-extra"])
def test_several_bad_fields_are_all_named_in_one_error(changes, fields):
    with pytest.raises(AddressError) as caught:
        validate_address(addr(**changes))
    assert caught.value.fields == fields
    message = str(caught.value)
    for field in fields:
        assert field in message
    assert message.count(";") == len(fields) - 1


def test_example_message_from_the_brief():
    with pytest.raises(AddressError) as caught:
        validate_address(addr(state="XX", zip_code="1234"))
    assert str(caught.value).startswith(
        "state 'XX' is not a US state code; zip_code '1234' is not a ZIP or ZIP+4")


@pytest.mark.parametrize("data", [None, "100 Main St, Jefferson City, MO 65101", ["Acme"]],
                         ids=["none", "string", "list"])
def test_not_a_mapping(data):
    with pytest.raises(AddressError, match="address must be a mapping"):
        validate_address(data)


def test_model_itself_validates_and_is_frozen():
    with pytest.raises(ValidationError):
        PostalAddress(**addr(state="XX"))
    address = PostalAddress(**GOOD)
    with pytest.raises(ValidationError):
        address.state = "KS"


@pytest.mark.parametrize("changes, lines", [
    ({}, ["Acme Care", "100 Main St", "JEFFERSON CITY MO 65101"]),
    ({"line2": "Suite 4", "city": "St. Louis", "zip_code": "63103-2814"},
     ["Acme Care", "100 Main St", "Suite 4", "ST. LOUIS MO 63103-2814"]),
    ({"state": "mo", "city": "o'fallon"}, ["Acme Care", "100 Main St", "O'FALLON MO 65101"]),
    ({"line1": "Unit 2050 Box 4190", "city": "apo", "state": "ae", "zip_code": "09096"},
     ["Acme Care", "Unit 2050 Box 4190", "APO AE 09096"]),
], ids=["no-line2", "line2-zip4", "uppercased", "military"])
def test_lines_as_printed_on_the_envelope(changes, lines):
    assert validate_address(addr(**changes)).lines() == lines


def test_round_trip_through_json_storage():
    """Notice.postal_address stores model_dump(); PostalAddress(**stored) gives the same address."""
    address = validate_address(addr(line2="Suite 4", state="mo"))
    stored = address.model_dump()
    assert stored == {**GOOD, "line2": "Suite 4", "state": "MO"}
    assert PostalAddress(**stored) == address
