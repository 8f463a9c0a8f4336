"""The scaled stack's fixture for every fault test."""

from tests.faults.scaled import scaled  # noqa: F401
