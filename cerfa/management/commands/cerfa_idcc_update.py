"""Rebuild rules/data/idcc.json from the DILA's spreadsheet: the former name of
``python manage.py cerfa_table_update idcc``, kept for the scripts that call it.

    python manage.py cerfa_idcc_update                 # from data.gouv.fr (network needed)
    python manage.py cerfa_idcc_update --source FILE   # from a downloaded copy
    python manage.py cerfa_idcc_update --output PATH   # write elsewhere

It reads only the official XLSX (« Liste des conventions collectives », base KALI, setting
``CERFA_IDCC_SOURCE_URL``); ``cerfa_table_update idcc`` also reads a CSV. Same checks:
the file is replaced only when the new list looks whole (``--minimum`` conventions).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cerfa.lookups import kali
from rules import idcc as idcc_list

from .cerfa_table_update import IDCC_MINIMUM, IDCC_NOTE, fetch, write_idcc


class Command(BaseCommand):
    help = (
        "Reconstruit rules/data/idcc.json depuis la liste officielle des conventions "
        "collectives (voir aussi cerfa_table_update)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            default=None,
            help="Fichier XLSX ou adresse web (par défaut : CERFA_IDCC_SOURCE_URL).",
        )
        parser.add_argument(
            "--output",
            default=str(idcc_list.DATA_PATH),
            help="Fichier JSON à écrire (par défaut : rules/data/idcc.json).",
        )
        parser.add_argument(
            "--minimum",
            type=int,
            default=IDCC_MINIMUM,
            help="Nombre minimal de conventions pour remplacer la liste.",
        )

    def handle(self, *args, source=None, output=None, minimum=IDCC_MINIMUM, **options):
        content = fetch(source or settings.CERFA_IDCC_SOURCE_URL)
        try:
            conventions = kali.parse_xlsx(content)
        except kali.KaliFormatError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(write_idcc(conventions, Path(output), minimum, IDCC_NOTE))
