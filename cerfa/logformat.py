"""A log formatter that never writes what an exception says, only where it happened.

An exception's message can quote a value the user typed (``ValueError: invalid literal
… 'Moreau'``). The traceback's frames (file, line, function, code) are kept, so a 500 can
still be found and fixed; the message is replaced by the exception's type alone.
"""

from __future__ import annotations

import logging
import traceback


class ScrubbedFormatter(logging.Formatter):
    def formatMessage(self, record) -> str:  # noqa: N802 - logging's own name
        # One record, one line: a line break or other control character in a logged path
        # (uvicorn decodes %0A) would let a client write a line of its own into the log.
        return "".join(
            c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
            for c in super().formatMessage(record)
        )

    def formatException(self, ei) -> str:  # noqa: N802 - logging's own name
        exc_type, exc, tb = ei
        lines = ["Traceback (most recent call last):\n"]
        lines.extend(traceback.format_list(traceback.extract_tb(tb)))
        cause = exc.__cause__ or exc.__context__ if exc is not None else None
        name = exc_type.__qualname__ if exc_type else "Exception"
        lines.append(f"{name} (message omis : il peut contenir des données saisies)")
        if cause is not None:
            lines.append(f"\n  causée par {type(cause).__qualname__}")
        return "".join(lines)
