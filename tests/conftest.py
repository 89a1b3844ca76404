import os

os.environ.setdefault("CERFA_ENV", "test")
os.environ.setdefault("CERFA_LOOKUPS_ENABLED", "false")

import pytest  # noqa: E402 - the environment above is read when Django starts
import responses  # noqa: E402


@pytest.fixture
def online(settings):
    """Lookups switched on, pointed at fake addresses: a test replays the answers it needs
    there, and any other request fails, so no test reaches the network."""
    from tests.helpers import LOOKUP_URLS

    settings.CERFA_LOOKUPS_ENABLED = True
    settings.CERFA_LOOKUP_URLS = dict(LOOKUP_URLS)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps
