"""``python manage.py cerfa …`` as a Django command (``call_command``, ``--settings``…):
the actions are in ``cerfa/cli.py``, which ``manage.py`` also runs without Django's
management machinery."""

import sys

from django.core.management.base import BaseCommand

from cerfa import cli


class Command(BaseCommand):
    help = cli.HELP
    # The checks look at what serving pages needs; none of it is used here.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        status = cli.Cerfa(self.stdout, self.stderr).run(options)
        if status:
            sys.exit(status)
