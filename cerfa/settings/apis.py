"""External public APIs used for auto-completion (all optional, all key-less)."""

from cerfa.settings.env import env_bool, env_int

# Off in tests: tests replay recorded responses and never touch the network.
CERFA_LOOKUPS_ENABLED = env_bool("CERFA_LOOKUPS_ENABLED", True)
CERFA_LOOKUP_TIMEOUT_SECONDS = env_int("CERFA_LOOKUP_TIMEOUT_SECONDS", 3)
