"""Flow runs forked from the preloaded server (flows/forkserver.py) start with the work done once in the server."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = '''
from sqlalchemy import inspect

from flows.forkserver import start_runs_from_a_forkserver


def state(queue):
    import gc

    from models.tables import HumanTask
    queue.put((inspect(HumanTask).configured, gc.get_freeze_count()))


if __name__ == "__main__":
    start_runs_from_a_forkserver()
    import prefect.flow_engine
    from models.tables import HumanTask

    context = prefect.flow_engine.multiprocessing.get_context()
    queue = context.Queue()
    run = context.Process(target=state, args=(queue,))
    run.start()
    run.join(60)
    configured, frozen = queue.get(timeout=5)
    print(configured, frozen, inspect(HumanTask).configured)
'''


def test_a_forked_run_begins_with_the_mappers_configured_and_the_preloaded_objects_frozen(tmp_path):
    script = tmp_path / "fork_one.py"
    script.write_text(SCRIPT)
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                               "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    assert done.returncode == 0, done.stderr
    in_the_run, frozen, in_a_process_that_only_imported_the_tables = done.stdout.split()
    assert in_the_run == "True"
    assert int(frozen) > 100_000  # Prefect, SQLAlchemy and the flows: left out of the run's garbage collections
    assert in_a_process_that_only_imported_the_tables == "False"  # the check tells the two apart
