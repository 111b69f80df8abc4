"""Whether a test may skip for a missing service: on a developer machine yes, in CI (CI=true) never."""

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(available: bool, reason: str) -> None:
    """Skip on a developer machine without the service; fail in CI, where every service must be there."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI needs this service: {reason}")
    pytest.skip(reason)
