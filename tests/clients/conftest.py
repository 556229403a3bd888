"""Fixtures for the client tests (helpers live in client_harness.py)."""

import pytest
from client_harness import FakeClock, ScriptedServer


@pytest.fixture
def serve():
    servers = []

    def start(handler) -> ScriptedServer:
        s = ScriptedServer(handler)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
