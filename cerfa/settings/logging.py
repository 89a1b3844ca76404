"""Logging: to standard error, never a value the user typed.

Django's request logger prints the request path only; the wizard's URLs carry a random
contract id, never personal data. Error reports by e-mail are off (no ADMINS).
"""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
ADMINS: list = []
