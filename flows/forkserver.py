"""Start flow-run processes by forking a server that has Prefect and our flows imported.

Prefect spawns a fresh interpreter per run, which re-imports everything (about 1.5 s here, 3.5 s on a busy
worker) each time a suspended run is resumed; a forkserver child starts in milliseconds. Used by the embedded
runner (flows/serve.py) and by the scaled stack's workers (flows/worker.py).
"""

import multiprocessing

__all__ = ["FLOW_MODULES", "start_runs_from_a_forkserver"]

FLOW_MODULES = ("flows.hiring_review", "flows.improvement_plan", "flows.outbox_delivery", "flows.deadline_sweep",
                "flows.handup_enrolment", "flows.handup_hearing", "flows.handup_removal", "flows.handup_billing",
                "flows.contract_renewal")

# What each run would otherwise import after the fork (about 0.4 s a run, tests/bench/resume.py): prefect.runner
# (the child runs the parent's main module again as __mp_main__), the task engine, both database drivers and the
# holidays package's countries (the business calendar's first use). Then flows/preloaded.py, last.
_PRELOAD = ("prefect.flow_engine", "prefect.runner", "prefect.task_engine", "prefect.utilities.visualization",
            "sqlite3", "sqlalchemy.dialects.sqlite", "psycopg", "sqlalchemy.dialects.postgresql",
            "holidays.countries", "rich._emoji_codes", "encodings.idna", "anyio._core._sockets",
            "anyio._core._streams")


def start_runs_from_a_forkserver() -> None:
    """Make prefect.flow_engine start its run processes from a preloaded forkserver.

    Only this process is affected: prefect.flow_engine uses multiprocessing for nothing else.
    """
    import prefect.flow_engine

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*_PRELOAD, *FLOW_MODULES, "flows.preloaded"])

    class _Forkserver:
        @staticmethod
        def get_context(method=None):
            return context

    prefect.flow_engine.multiprocessing = _Forkserver()
