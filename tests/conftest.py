import os

os.environ.setdefault("CERFA_ENV", "test")
os.environ.setdefault("CERFA_LOOKUPS_ENABLED", "false")
