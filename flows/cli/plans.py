"""`cwa plan`: practice improvement plans, 13 CSR 35-32.020 (15)-(16)."""

import typer

from flows.cli.common import fail, out
from models.errors import DomainError
from tasks.context import transaction

app = typer.Typer(help="Practice improvement plans, 13 CSR 35-32.020 (15)-(16).", no_args_is_help=True)


@app.command("start")
def start(contract_id: str, plan_id: str = typer.Option(..., help="ID for the new plan, e.g. PIP-2026-001."),
          outcome: list[str] = typer.Option(..., help="An outcome not met (repeat for several)."),
          by: str = typer.Option(..., "--by", help="Your staff ID, for the audit trail.")) -> None:
    """Open a practice improvement plan for a contract's missed outcomes and start its run."""
    from tasks.plans.intake import open_plan, start_plan_run

    try:
        with transaction() as session:
            open_plan(session, plan_id=plan_id, contract_id=contract_id, outcomes=outcome, actor=by)
    except DomainError as exc:
        fail(str(exc))
    out.print(f"plan {plan_id} opened; run {start_plan_run(plan_id)}")
