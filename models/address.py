"""US postal addresses for first-class mail: validation and the printed address block (pure, no I/O).

The rules, checked field by field so that one error can name every bad field:

* name, line1, line2 (optional, may be blank), city: at most MAX_LINE (40) characters each, no line
  breaks or control characters. 40 characters is the usual mailing-label / window-envelope line limit
  (USPS Publication 28 recommends keeping address lines short; print-and-mail services cap them at 40).
  The last printed line "CITY ST ZIP" must fit in 40 characters too.
* city: letters (accented letters allowed), spaces and . - ' only.
* state: a two-letter USPS code (case-insensitive, stored uppercase): the 50 states, DC and the
  territories (US_STATES), the freely associated states FM, MH, PW (USPS domestic
  mail), and the military "states" AA, AE, AP, whose city must be APO, FPO or DPO (and vice versa).
* zip_code: 5 digits or ZIP+4 "12345-6789".

PostalAddress(**data) raises pydantic.ValidationError; validate_address(data) raises AddressError
(a DomainError) whose message lists every bad field by name, for forms, the CLI and the outbox.
"""

import re
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from models.errors import DomainError

# USPS codes of the 50 states, DC and the inhabited territories.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI".split()
)
STATE_RE = re.compile(r"[A-Z]{2}")
ZIP_RE = re.compile(r"[0-9]{5}(-[0-9]{4})?")
MAX_LINE = 40  # characters per printed line of a mailing label
MILITARY_STATES = frozenset({"AA", "AE", "AP"})  # Armed Forces Americas / Europe / Pacific
MILITARY_CITIES = frozenset({"APO", "FPO", "DPO"})
FREELY_ASSOCIATED = frozenset({"FM", "MH", "PW"})  # Micronesia, Marshall Islands, Palau: USPS domestic mail
MAIL_STATES = US_STATES | FREELY_ASSOCIATED | MILITARY_STATES
CITY_PUNCTUATION = frozenset(" .-'")


class AddressError(DomainError):
    """A postal address that cannot go by mail; problems lists (field, message) for each bad field."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))

    @property
    def fields(self) -> list[str]:
        return list(dict.fromkeys(field for field, _ in self.problems))


def _bad(field: str, message: str) -> PydanticCustomError:
    """An error whose message already names the field (pydantic would prefix 'Value error, ')."""
    return PydanticCustomError("postal_address", "{field} {detail}", {"field": field, "detail": message})


class PostalAddress(BaseModel):
    """A US postal address as printed on an envelope (see the module docstring for the rules)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: str
    line1: str
    line2: str = ""
    city: str
    state: str
    zip_code: str

    @field_validator("line2", mode="before")
    @classmethod
    def _none_is_blank(cls, value: Any) -> Any:
        return "" if value is None else value

    @field_validator("name", "line1", "line2", "city")
    @classmethod
    def _printable_line(cls, value: str, info) -> str:
        field = info.field_name
        if not value and field != "line2":
            raise _bad(field, "is blank")
        if any(not ch.isprintable() for ch in value):
            raise _bad(field, "contains a line break or control character")
        if len(value) > MAX_LINE:
            raise _bad(field, f"is {len(value)} characters long (at most {MAX_LINE} on a mailing label)")
        return value

    @field_validator("city")
    @classmethod
    def _city(cls, value: str) -> str:
        if not any(ch.isalpha() for ch in value) or any(
            not (ch.isalpha() or ch in CITY_PUNCTUATION) for ch in value
        ):
            raise _bad("city", f"{value!r} may hold only letters, spaces and . - '")
        return value

    @field_validator("state")
    @classmethod
    def _state(cls, value: str) -> str:
        code = value.upper()
        if not STATE_RE.fullmatch(code) or code not in MAIL_STATES:
            raise _bad("state", f"{value!r} is not a US state code")
        return code

    @field_validator("zip_code")
    @classmethod
    def _zip(cls, value: str) -> str:
        if not ZIP_RE.fullmatch(value):
            raise _bad("zip_code", f"{value!r} is not a ZIP or ZIP+4 (12345 or 12345-6789)")
        return value

    @model_validator(mode="after")
    def _whole(self) -> "PostalAddress":
        military_city = self.city.upper() in MILITARY_CITIES
        if self.state in MILITARY_STATES and not military_city:
            raise _bad("city", f"{self.city!r} must be APO, FPO or DPO for state {self.state!r}")
        if military_city and self.state not in MILITARY_STATES:
            raise _bad("state", f"{self.state!r} must be AA, AE or AP for city {self.city!r}")
        last = self.lines()[-1]
        if len(last) > MAX_LINE:
            raise _bad("city", f"{self.city!r} makes the line {last!r} {len(last)} characters long "
                               f"(at most {MAX_LINE} on a mailing label)")
        return self

    def lines(self) -> list[str]:
        """The address block as printed: name, line1, [line2], "CITY ST 12345-6789".

        USPS Publication 28 style for the last line: city and state in uppercase, one space between
        city, state and ZIP (no comma, not two spaces). The other lines are printed as entered.
        """
        block = [self.name, self.line1]
        if self.line2:
            block.append(self.line2)
        block.append(f"{self.city.upper()} {self.state} {self.zip_code}")
        return block


def _problem(error: dict) -> tuple[str, str]:
    """(field, message naming the field) for one pydantic error."""
    if error["type"] == "postal_address":
        return error["ctx"]["field"], error["msg"]
    field = ".".join(str(part) for part in error["loc"]) or "address"
    if error["type"] == "missing":
        return field, f"{field} is missing"
    if error["type"] == "extra_forbidden":
        return field, f"{field} is not an address field"
    return field, f"{field}: {error['msg']}"


def validate_address(data: dict) -> PostalAddress:
    """The address in data, or AddressError naming every bad field (e.g. "state 'XX' is not a US
    state code; zip_code '1234' is not a ZIP or ZIP+4 (12345 or 12345-6789)")."""
    if not isinstance(data, dict):
        raise AddressError([("address", f"address must be a mapping of fields, not {type(data).__name__}")])
    try:
        return PostalAddress(**{str(k): v for k, v in data.items()})
    except ValidationError as exc:
        raise AddressError([_problem(e) for e in exc.errors()]) from None
