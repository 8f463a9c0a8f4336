"""The embedded stack (flows/serve.py) and the scaled one (deploy/prefect.yaml) serve the same deployments."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_served_flow_is_deployed_to_the_work_pool_and_back():
    served = set(re.findall(r'add_flow\(\w+, name="([\w-]+)"', (ROOT / "flows/serve.py").read_text()))
    deployed = {d["name"]: d for d in yaml.safe_load((ROOT / "deploy/prefect.yaml").read_text())["deployments"]}
    assert served == set(deployed)
    for name, deployment in deployed.items():
        module, function = deployment["entrypoint"].split(":")
        assert f"def {function}(" in (ROOT / module).read_text(), name
        assert f'@flow(name="{name}"' in (ROOT / module).read_text(), name


def test_the_scaled_stacks_workers_fork_every_deployed_flow_and_leave_others_to_prefect():
    from flows.worker import our_flow

    deployed = yaml.safe_load((ROOT / "deploy/prefect.yaml").read_text())["deployments"]
    for deployment in deployed:
        flow = our_flow(deployment["entrypoint"])
        assert flow is not None and flow.name == deployment["name"], deployment["entrypoint"]
    for foreign in ("elsewhere/etl.py:load", "flows/serve.py:main", "flows/hiring_review.py:no_such_flow", None):
        assert our_flow(foreign) is None, foreign
