"""The HTTP API for CFA software (``/api/v1/``): the command line's check, complete and
fill over HTTP. See cerfa/api/api.py."""
