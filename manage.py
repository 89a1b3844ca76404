#!/usr/bin/env python
"""Django's command-line utility (``python manage.py cerfa check|complete|fill …``)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cerfa.settings")
    if sys.argv[1:2] == ["cerfa"]:
        # The dossier on the command line (cerfa/cli.py) without Django's management
        # machinery, whose import costs more than checking a dossier; Django's own options
        # (--settings…) take the usual path.
        from cerfa.cli import main as cerfa_main

        status = cerfa_main(sys.argv[2:])
        if status is not None:
            sys.exit(status)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
