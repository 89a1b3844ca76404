"""Logging: to standard error, never a value the user typed.

The access log (cerfa/asgi.py) writes the method, the path without its query string and
the status; the wizard's URLs carry a random contract id, never personal data, and
lookups take their value in the query string. A traceback keeps its frames but not the
exception's message, which may quote a typed value (cerfa/logformat.py). Error reports by
e-mail are off (no ADMINS). The client's address is never written.
"""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "scrubbed": {
            "()": "cerfa.logformat.ScrubbedFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "scrubbed"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "cerfa.access": {"level": "INFO"},
        # The server's start and stop lines (and its tracebacks, scrubbed like the rest).
        "uvicorn.error": {"level": "INFO"},
    },
}
ADMINS: list = []
