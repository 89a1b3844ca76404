"""Every module here registers rules (see rules/registry.py); rules/engine.py loads them all."""
