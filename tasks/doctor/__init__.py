"""`cwa doctor`: one check per piece of the stack, each saying OK or what is wrong and how to fix it
(docs/operations.md, "Health: cwa doctor"). Every check is a plain function returning a Check, with short
timeouts; run_checks runs them side by side so that an unreachable host costs one timeout, not one per check."""

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from models.settings import Settings
from tasks.doctor.check import Check
from tasks.doctor.database import check_database
from tasks.doctor.mail import check_mailroom, check_print_api, check_smtp
from tasks.doctor.prefect_api import PrefectApi, prefect_checks

__all__ = ["Check", "PrefectApi", "check_database", "check_mailroom", "check_print_api", "check_smtp",
           "prefect_checks", "run_checks"]


def run_checks(cfg: Settings, expected_deployments: Sequence[str], api: PrefectApi | None = None) -> list[Check]:
    """Every check of the stack, in a fixed order: database, Prefect (API, sign-in, deployments, polling), mail."""
    api = api or PrefectApi.from_environment()
    jobs: list[Callable[[], list[Check]]] = [
        lambda: [check_database(cfg.database_url)],
        lambda: prefect_checks(api, expected_deployments),
        lambda: [check_smtp(cfg.smtp_host, cfg.smtp_port)],
        lambda: [check_print_api(cfg)],
        lambda: [check_mailroom(cfg)],
    ]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = [pool.submit(job) for job in jobs]
        return [check for result in results for check in result.result()]
