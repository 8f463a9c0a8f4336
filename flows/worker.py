"""The scaled stack's worker: Prefect's process worker, with each run forked from a preloaded server.

Prefect's process worker starts `python -m prefect.engine` for every run and every resume: a fresh interpreter
that imports Prefect and the flow again and runs the pull steps (a resume took 3 s to its next task, and 4.5 s of
CPU, on the scaled stack). This worker polls the same work pool and starts the runs of our own deployments as the
embedded runner does (flows/forkserver.py); a deployment whose entrypoint is not one of ours runs the usual way.
Forked runs use the worker's own code and folder, which is what the pull steps of deploy/prefect.yaml point at.
`deploy/scale.sh` and deploy/compose.yaml start it as `python -m flows.worker --pool cwa`.
"""

import argparse
import asyncio
import importlib
import os
import warnings

import anyio
import anyio.abc
from prefect import Flow
from prefect.flow_engine import run_flow_in_subprocess
from prefect.flows import load_flow_from_flow_run
from prefect.runner._flow_run_executor import FlowRunExecutorContext
from prefect.runner._process_manager import ProcessHandle
from prefect.settings import PREFECT_WORKER_HEARTBEAT_SECONDS
from prefect.utilities.processutils import setup_signal_handlers_worker
from prefect.workers.process import ProcessWorker, ProcessWorkerResult

from flows.forkserver import FLOW_MODULES, start_runs_from_a_forkserver

__all__ = ["PreloadedProcessWorker", "main"]


def our_flow(entrypoint: str | None) -> Flow | None:
    """The flow object of a deployment entrypoint such as `flows/hiring_review.py:hiring_exclusion_review`."""
    path, _, name = (entrypoint or "").partition(":")
    module = path.removesuffix(".py").replace("/", ".")
    if module not in FLOW_MODULES:
        return None
    flow = getattr(importlib.import_module(module), name, None)
    return flow if isinstance(flow, Flow) else None


class _ForkedStart:
    """Starts one flow run in a child of the forkserver, with the job's environment (prefect's ProcessStarter)."""

    def __init__(self, *, flow: Flow, env: dict[str, str | None], control_channel) -> None:
        self._flow, self._env, self._control_channel = flow, env, control_channel

    async def start(self, flow_run, task_status: anyio.abc.TaskStatus[ProcessHandle] = anyio.TASK_STATUS_IGNORED):
        env = dict(self._env)
        try:
            port, token = self._control_channel.register(flow_run.id)
            env |= {"PREFECT__CONTROL_PORT": str(port), "PREFECT__CONTROL_TOKEN": token}
        except RuntimeError:  # no loopback listener: a cancellation kills the process instead, as Prefect's starters
            pass
        try:
            process = run_flow_in_subprocess(self._flow, flow_run=flow_run, env=env)
        except BaseException:
            self._control_channel.unregister(flow_run.id)
            raise
        task_status.started(ProcessHandle(process))
        await anyio.to_thread.run_sync(process.join)


with warnings.catch_warnings():  # it takes the place of ProcessWorker as the type "process" in this process
    warnings.simplefilter("ignore", UserWarning)

    class PreloadedProcessWorker(ProcessWorker):
        """A process worker whose runs of our deployments start from the forkserver; others as Prefect's own."""

        async def run(self, flow_run, configuration, task_status=None) -> ProcessWorkerResult:
            deployment = await self.client.read_deployment(flow_run.deployment_id) if flow_run.deployment_id else None
            flow = our_flow(deployment.entrypoint if deployment else None)
            if flow is None or configuration._command_configured:
                return await super().run(flow_run, configuration, task_status)
            task_status = task_status or anyio.TASK_STATUS_IGNORED
            async with FlowRunExecutorContext() as ctx:
                starter = _ForkedStart(flow=flow, env=configuration.env, control_channel=ctx.control_channel)
                executor = ctx.create_executor(flow_run, starter, resolve_flow=load_flow_from_flow_run,
                                               propose_submitting=False)
                execution = None

                async def execute(*, task_status=anyio.TASK_STATUS_IGNORED) -> None:
                    nonlocal execution
                    execution = await executor.submit(task_status=task_status)

                async with anyio.create_task_group() as group:
                    handle = await group.start(execute)
                    task_status.started(handle.pid)
            if execution is None or execution.status_code is None:
                raise RuntimeError("the flow run's process did not start")
            return ProcessWorkerResult(status_code=execution.status_code, identifier=str(execution.handle.pid))


async def _serve(pool: str, name: str | None, limit: int | None) -> None:
    worker = PreloadedProcessWorker(name=name, work_pool_name=pool, limit=limit,
                                    heartbeat_interval_seconds=int(PREFECT_WORKER_HEARTBEAT_SECONDS.value()))
    await worker.start()


def main(argv: list[str] | None = None) -> None:
    """Poll the work pool until SIGINT or SIGTERM (then finish the runs in hand, as `prefect worker start`)."""
    parser = argparse.ArgumentParser(prog="python -m flows.worker", description=__doc__.splitlines()[0])
    parser.add_argument("--pool", required=True, help="the work pool to poll (deploy/prefect.yaml: cwa)")
    parser.add_argument("--name", help="this worker's name, shown in the UI (default: Prefect's, with a UUID)")
    parser.add_argument("--limit", type=int, default=None, help="flow runs at once (default: no limit)")
    args = parser.parse_args(argv)
    os.environ.setdefault("PREFECT_RESULTS_PERSIST_BY_DEFAULT", "true")
    start_runs_from_a_forkserver()
    setup_signal_handlers_worker(os.getpid(), f"worker {args.name}", print)
    try:
        asyncio.run(_serve(args.pool, args.name, args.limit))
    except KeyboardInterrupt:  # the second signal the handlers above forward, as `prefect worker start` stops
        print(f"worker {args.name} stopped")


if __name__ == "__main__":
    main()
