"""Every CSV import of `cwa`, fed hostile files by hypothesis: random bytes and text, shuffled or short headers,
rows of the wrong width, huge and negative numbers, impossible dates, unicode, blank lines, BOMs. Each file is
imported or refused with exit 1 and an error naming the problem; never a traceback, and a refused file leaves
every table as it was."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given

from models.case_data_csv import COLUMNS as CASE_COLUMNS
from models.contract_terms_csv import COLUMNS as TERMS_COLUMNS
from models.csv_import import CONTRACTOR_COLUMNS, STAFF_COLUMNS
from models.handup_payments_csv import COLUMNS as PAYMENT_COLUMNS
from models.handup_reference_csv import KIND_COLUMNS, PROVIDER_COLUMNS
from models.methods.methods_csv import COST_COLUMNS, EXIT_COLUMNS
from models.methods.wisconsin_csv import AGENCY_COLUMNS, RATE_COLUMNS
from models.tables import Contract, PremiumBill
from tasks.context import transaction
from tests.faults.bad_input import FUZZ, csv_files, invoke_cleanly, seeded_database, unique
from tests.handup_factory import make_participant


@pytest.fixture(scope="module", autouse=True)
def database(tmp_path_factory):
    with seeded_database(tmp_path_factory.mktemp("bad-csv")):
        with transaction() as session:
            make_participant(session, "HU-CSV-1", premium=Decimal("100.00"), first_month=date(2026, 1, 1))
            session.add(PremiumBill(participant_id="HU-CSV-1", coverage_month=date(2026, 1, 1),
                                    due_on=date(2025, 12, 31), mail_by=date(2025, 12, 11), amount=Decimal("100.00")))
            session.merge(Contract(id="T-01", contractor_id="C-001", region="Springfield",
                                   starts_on=date(2030, 10, 1), ends_on=date(2033, 9, 30)))
        yield


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("bad-csv-files")


def _reference(kind):
    return lambda path: ["handup", "reference", "import", kind, path, "--version", unique("fuzz-"),
                         "--effective-from", "2031-01-01", "--provenance", "sample", "--source", "fuzz",
                         "--by", "S-006"]


# name -> (the file's columns, the `cwa` arguments for a file at `path`)
IMPORTS = {
    "import-staff": (STAFF_COLUMNS, lambda path: ["import-staff", path]),
    "import-contractors": (CONTRACTOR_COLUMNS, lambda path: ["import-contractors", path]),
    "handup payments": (PAYMENT_COLUMNS, lambda path: ["handup", "payments", "import", path, "--source", "payroll",
                                                       "--by", "S-006"]),
    **{f"handup reference {kind}": (columns, _reference(kind)) for kind, columns in KIND_COLUMNS.items()},
    "handup providers": (PROVIDER_COLUMNS, lambda path: ["handup", "providers", "designate", path, "--as-of",
                                                         "2026-01-02", "--by", "S-006"]),
    **{f"renewal {kind}": (columns, lambda path, kind=kind: ["renewal", "import", kind, path, "--by", "S-006"])
       for kind, columns in CASE_COLUMNS.items()},
    "renewal terms": (TERMS_COLUMNS, lambda path: ["renewal", "terms", path, "--by", "S-005"]),
    "methods texas": (EXIT_COLUMNS, lambda path: ["methods", "texas", "placement", path, "--facility-type", "CPA",
                                                  "--contract-start", "2020-09-01", "--contract-end", "2023-08-31"]),
    "methods wisconsin earned": (RATE_COLUMNS, lambda path: ["methods", "wisconsin", "earned", path]),
    "methods wisconsin allocate": (AGENCY_COLUMNS, lambda path: ["methods", "wisconsin", "allocate", path,
                                                                 "--funds", "12340000"]),
    "methods residential": (COST_COLUMNS, lambda path: ["methods", "residential", "rate", path, "--rate-year",
                                                        "2027"]),
}


@pytest.mark.parametrize("name", IMPORTS)
def test_a_hostile_file_is_imported_or_refused_cleanly(name, folder):
    columns, arguments = IMPORTS[name]

    @FUZZ
    @given(data=csv_files(columns))
    def check(data: bytes):
        path = folder / f"{unique('f')}.csv"
        path.write_bytes(data)
        invoke_cleanly(arguments(str(path)))

    check()


@pytest.mark.parametrize("name", IMPORTS)
def test_an_empty_file_and_a_header_alone_are_clear(name, folder):
    columns, arguments = IMPORTS[name]
    for data in (b"", b"\xef\xbb\xbf", b"\n\n", (",".join(columns) + "\n").encode(), b"\x00\x01\x02"):
        path = folder / f"{unique('e')}.csv"
        path.write_bytes(data)
        invoke_cleanly(arguments(str(path)))
