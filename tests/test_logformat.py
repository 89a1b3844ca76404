"""Logs keep where an error happened, never what the exception said (it may quote a typed value)."""

import io
import logging

from cerfa.logformat import ScrubbedFormatter


def parse_name(value):
    return int(value)  # ValueError: invalid literal for int() with base 10: '<value>'


def test_traceback_without_the_exception_message():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ScrubbedFormatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.logformat")
    logger.addHandler(handler)
    logger.propagate = False
    canary = "-".join(["Canari", "Moreau", "7731"])  # not in any source line shown
    try:
        parse_name(canary)
    except ValueError:
        logger.exception("Internal Server Error: /contrat/<id>/apprenti/")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert canary not in text
    assert "in parse_name" in text and "ValueError (message omis" in text
    assert "Internal Server Error: /contrat/<id>/apprenti/" in text


def test_the_settings_use_it():
    from django.conf import settings

    formatter = settings.LOGGING["formatters"]["scrubbed"]["()"]
    assert formatter == "cerfa.logformat.ScrubbedFormatter"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "scrubbed"


def test_a_message_stays_on_one_line_whatever_it_quotes():
    import logging

    from cerfa.logformat import ScrubbedFormatter

    record = logging.LogRecord(
        "cerfa.access", logging.INFO, __file__, 1, '"GET %s" 404', ("/x\n2026-12-01 faux",), None
    )
    line = ScrubbedFormatter("%(levelname)s %(message)s").format(record)
    assert "\n" not in line and "\\n2026-12-01 faux" in line
