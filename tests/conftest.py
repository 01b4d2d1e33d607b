"""Fixtures: local stand-ins for Spaces (moto's server) and Uptime Kuma, on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kuma_standin import KumaResponses, KumaStandin
from spaces_standin import SpacesStandin
from support import TEST_API_KEY


@pytest.fixture(scope="session")
def spaces_server() -> Iterator[SpacesStandin]:
    server = SpacesStandin().start()
    yield server
    server.stop()


@pytest.fixture
def kuma_server() -> Iterator[KumaStandin]:
    server = KumaStandin(KumaResponses.recorded(api_key=TEST_API_KEY)).start()
    yield server
    server.stop()
