"""Runs whose worker died: a flow run killed with its worker (SIGKILL, a lost machine) stops sending heartbeats and
would stay Running for ever. An automation marks it Crashed when no heartbeat, suspension or final state follows
its last heartbeat within `within` seconds (Prefect's "detect zombie flows"); its batch work is not lost
(tasks/shared_runs.py)."""

from datetime import timedelta

__all__ = ["AUTOMATION", "ensure_crash_automation"]

AUTOMATION = "cwa: crash runs whose worker stopped"
FOLLOWERS = ("prefect.flow-run.heartbeat", "prefect.flow-run.Completed", "prefect.flow-run.Failed",
             "prefect.flow-run.Cancelled", "prefect.flow-run.Crashed", "prefect.flow-run.Suspended",
             "prefect.flow-run.Paused", "prefect.flow-run.Cancelling")


def crash_automation(within: int):
    """The automation: for each flow run, after a heartbeat, expect another (or the end, or a suspension)."""
    from prefect.automations import Automation
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    return Automation(
        name=AUTOMATION,
        description="Marks a flow run Crashed when its heartbeats stop: its worker or machine died.",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"}, expect=set(FOLLOWERS),
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"}, posture=Posture.Proactive, threshold=1,
            within=timedelta(seconds=within)),
        actions=[ChangeFlowRunState(state=StateType.CRASHED,
                                    message=f"No heartbeat for {within} s: the worker running it stopped.")],
    )


def ensure_crash_automation(within: int) -> str:
    """Create the automation, or update it to `within` seconds; returns its ID. Idempotent."""
    from prefect.automations import Automation

    wanted = crash_automation(within)
    try:
        found = Automation.read(name=AUTOMATION)
    except ValueError:
        return str(wanted.create().id)
    found.trigger, found.actions, found.description, found.enabled = (wanted.trigger, wanted.actions,
                                                                      wanted.description, True)
    found.update()
    return str(found.id)
