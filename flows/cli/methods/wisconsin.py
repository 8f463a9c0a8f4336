"""`cwa methods wisconsin`: The Wisconsin CY2004 child support performance-based allocation."""

from pathlib import Path

import typer

from flows.cli.common import fail, out, table
from models.errors import DomainError
from models.methods.wisconsin import allocate, earned_percent, earning_basis
from models.methods.wisconsin_csv import parse_agencies, parse_amount, parse_rates

app = typer.Typer(help="The Wisconsin CY2004 child support performance-based allocation.", no_args_is_help=True)

def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc}")


def _money(amount) -> str:
    return f"{amount:,.2f}"


EARNED_HELP = (
    "The percent of each measure's allocation earned (Wisconsin DWD Memo 03-21, charts A and B).\n\n"
    "FILE.csv has the columns agency,measure,baseline,final,claims_change. measure is court_order, paternity, "
    "current_support or arrears; baseline and final are the rates in percent on September 30, 2003 and "
    "September 30, 2004; claims_change (optional, may be blank) is the county's change in unemployment claims "
    "filed, in percent, FFY2004 over FFY2003 (+10 or more holds current support harmless at 100%).\n\n"
    "A file with any bad row prints every bad row by its number and exits 1.")


@app.command("earned", help=EARNED_HELP)
def earned_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The rates, CSV.")) -> None:
    try:
        rows = parse_rates(_text(path))
    except DomainError as exc:
        fail(str(exc))
    shown = []
    for row in rows:
        r = row.rates
        shown.append({"row": row.line, "agency": row.agency, "measure": r.measure, "baseline %": r.baseline,
                      "final %": r.final, "change": r.final - r.baseline,
                      "claims change %": "" if r.claims_change is None else r.claims_change,
                      "basis": earning_basis(r.measure, r.baseline, r.final, r.claims_change),
                      "earned %": earned_percent(r.measure, r.baseline, r.final, r.claims_change)})
    out.print(table("Earned percent, CY2004 (Wisconsin DWD Memo 03-21)", shown))


ALLOCATE_HELP = (
    "The performance-based allocation (Wisconsin DWD Memo 03-21): each agency's allocation split 25% court "
    "order, 40% paternity, 25% current support, 10% arrears; the initial contract load (100% or 90% per "
    "measure); the amount earned; the unearned funds redistributed in proportion to earnings; the proration to "
    "the funds available (funds beyond the agencies' total are held for the PAC).\n\n"
    "FILE.csv has one row per agency and measure, with the columns "
    "agency,allocation,measure,baseline,final,claims_change. allocation is the agency's projected allocation "
    "(Attachment 1, Column A) in dollars and cents, the same on each of its four rows; measure is court_order, "
    "paternity, current_support or arrears, each once per agency; baseline and final are the rates in percent "
    "on September 30, 2003 and September 30, 2004; claims_change (optional, may be blank) is the county's "
    "change in unemployment claims filed, in percent.\n\n"
    "A file with any bad row prints every bad row by its number and exits 1.")


@app.command("allocate", help=ALLOCATE_HELP)
def allocate_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The agencies, CSV."),
                 funds: str = typer.Option(..., "--funds", help="The funds actually available under s. 49.24, "
                                                                "dollars (e.g. 12340000).")) -> None:
    try:
        result = allocate(parse_agencies(_text(path)), parse_amount(funds, "--funds"))
    except DomainError as exc:
        fail(str(exc))
    lines = [{"agency": a.agency, "measure": s.measure, "available": _money(s.available),
              "load %": s.load_percent, "initial load": _money(s.initial_load), "earned %": s.earned_percent,
              "earned": _money(s.earned), "unearned": _money(s.unearned),
              "redistributed": _money(s.redistributed), "proration": _money(s.proration),
              "final": _money(s.final)}
             for a in result.agencies for s in a.measures]
    out.print(table("Allocation by measure, CY2004 (Wisconsin DWD Memo 03-21)", lines))
    totals = [{"agency": a.agency, "allocation": _money(a.allocation),
               **{name: _money(a.total(field)) for name, field in _FIGURES}, "final": _money(a.final),
               "federal match": _money(a.federal_match)} for a in result.agencies]
    totals.append({"agency": "statewide", "allocation": _money(result.projected),
                   **{name: _money(result.total(field)) for name, field in _FIGURES},
                   "final": _money(result.total("final")), "federal match": ""})
    out.print(table("Allocation by agency", totals))
    out.print(f"funds available {_money(result.funds_available)}; projected {_money(result.projected)}; "
              f"distributed {_money(result.distributed)}; held for the PAC {_money(result.held_for_pac)}")


_FIGURES = (("initial load", "initial_load"), ("earned", "earned"), ("unearned", "unearned"),
            ("redistributed", "redistributed"), ("proration", "proration"))
