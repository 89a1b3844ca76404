"""The lookups' limits from the environment: their defaults, and loud failures."""

import json
from pathlib import Path

from tests.helpers import settings_with as probe_settings

ROOT = Path(__file__).parent.parent.parent
NAMES = (
    "CERFA_LOOKUP_MAX_IN_FLIGHT_PER_API",
    "CERFA_LOOKUP_MAX_IN_FLIGHT",
    "CERFA_LOOKUP_BREAKER_FAILURES",
    "CERFA_LOOKUP_BREAKER_SECONDS",
    "CERFA_LOOKUP_SESSION_PER_MINUTE",
    "CERFA_LOOKUP_ADDRESS_PER_MINUTE",
    "CERFA_LOOKUP_CLIENTS_TRACKED",
    "CERFA_COMPLETE_LOOKUPS_SECONDS",
)
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    f"print(json.dumps({{name: getattr(settings, name) for name in {NAMES!r}}}))"
)


def settings_with(**env):
    return probe_settings(PROBE, **env)


def test_the_defaults_are_the_documented_ones():
    status, out, err = settings_with()
    assert status == 0, err
    assert json.loads(out) == {
        "CERFA_LOOKUP_MAX_IN_FLIGHT_PER_API": 3,
        "CERFA_LOOKUP_MAX_IN_FLIGHT": 6,
        "CERFA_LOOKUP_BREAKER_FAILURES": 5,
        "CERFA_LOOKUP_BREAKER_SECONDS": 30,
        "CERFA_LOOKUP_SESSION_PER_MINUTE": 30,
        "CERFA_LOOKUP_ADDRESS_PER_MINUTE": 120,
        "CERFA_LOOKUP_CLIENTS_TRACKED": 10_000,
        "CERFA_COMPLETE_LOOKUPS_SECONDS": 20,
    }
    documented = (ROOT / "docs" / "apis.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"`{name}`" in documented, name


def test_a_limit_below_one_or_not_a_number_fails_loudly():
    for name in NAMES:
        status, _, err = settings_with(**{name: "0"})
        assert status != 0 and name in err and "au moins 1" in err
    status, _, err = settings_with(CERFA_LOOKUP_MAX_IN_FLIGHT="beaucoup")
    assert status != 0 and "CERFA_LOOKUP_MAX_IN_FLIGHT" in err
