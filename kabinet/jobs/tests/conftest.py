"""Fixtures of the fault-injection tests (kabinet.jobs.testing)."""

from __future__ import annotations

import pytest

from kabinet.jobs.testing import FaultDb
from kabinet.jobs.testing import fault_db as _fault_db


@pytest.fixture
def fault_db(request, tmp_path) -> FaultDb:
    """The database shared by the test and the processes it starts and kills, on the database
    the suite runs on (SQLite file or the PostgreSQL test database)."""
    return _fault_db(request, tmp_path)
