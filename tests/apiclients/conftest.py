import pytest

from tests.server import running_server


@pytest.fixture(scope="session")
def server():
    """A real granian server with a small demo site on a free loopback port."""
    with running_server() as (base, env):
        yield base, env
