"""Batch work shared by several runs of one deployment, spread over the workers of its pool (docs/architecture.md,
"Batch work on several workers").

The run that starts the work asks for `runs - 1` more runs of its own deployment ("helpers"). Every run claims
batches with FOR UPDATE SKIP LOCKED, so two runs never take the same rows, and a batch is one transaction that a
retry does again from the start. A run stops only when a pass claimed nothing and no other run holds a row of
the work: the rows of a run killed with its worker, released by PostgreSQL when its connection drops, are done by
the runs still going. The result is the same whether one run or several do the work.
"""

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy import func
from sqlmodel import Session, select

from tasks.context import settings

__all__ = ["batch_runs", "held_elsewhere", "start_helper_runs"]


def batch_runs(requested: int | None) -> int:
    """How many runs share a batch job: the parameter, else CWA_BATCH_RUNS (set it to the number of workers)."""
    return max(1, requested or settings().batch_runs)


@task(name="start-helper-runs", cache_policy=NO_CACHE)
def start_helper_runs(deployment: str, parameters: dict, count: int) -> list[str]:
    """`count` more runs of `deployment` with these parameters (IDs only), marked as helpers; each is picked up
    by whichever worker of the pool is free. Returns their flow run IDs."""
    from prefect.deployments import run_deployment

    return [str(run_deployment(deployment, parameters={**parameters, "helper": True}, timeout=0,
                               as_subflow=False).id) for _ in range(count)]


def held_elsewhere(session: Session, keys) -> int:
    """How many rows of `keys` (a select of primary keys) other transactions hold locked; always 0 on SQLite,
    where a writer holds the whole database. Locks what it finds free until the caller's transaction ends."""
    if session.get_bind().dialect.name != "postgresql":
        return 0
    total = session.exec(select(func.count()).select_from(keys.subquery())).one()
    free = len(session.exec(keys.with_for_update(skip_locked=True)).all())
    return total - free
