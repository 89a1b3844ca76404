"""Logging: to standard error, never a value the user typed.

Django's request logger prints the request path only; the wizard's URLs carry a random
contract id, never personal data, and lookups take their value in the query string. A
traceback keeps its frames but not the exception's message, which may quote a typed value
(cerfa/logformat.py). Error reports by e-mail are off (no ADMINS).
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
}
ADMINS: list = []
