"""Noon in Stockholm today, for tests of messages: quiet hours (21–08) hold nothing back.

Import `daytime` into a test module to use it there (it is autouse)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time

import pytest
import time_machine

from portal.timeutil import STOCKHOLM, today_stockholm


@pytest.fixture(autouse=True)
def daytime() -> Iterator[None]:
    noon = datetime.combine(today_stockholm(), time(12, 0), tzinfo=STOCKHOLM)
    with time_machine.travel(noon, tick=True):
        yield
