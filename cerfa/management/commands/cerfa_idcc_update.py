"""Rebuild rules/data/idcc.json from the official list of conventions collectives.

    python manage.py cerfa_idcc_update                 # from data.gouv.fr (network needed)
    python manage.py cerfa_idcc_update --source FILE   # from a downloaded copy
    python manage.py cerfa_idcc_update --output PATH   # write elsewhere

The source is the DILA's « Liste des conventions collectives » (base KALI), published on
data.gouv.fr (setting ``CERFA_IDCC_SOURCE_URL``). The list written is complete: every
IDCC with its title and whether it is in force, so that the wizard knows every convention
offline and a rule may call an IDCC unknown. The file is replaced only when the new list
looks whole (``--minimum`` conventions at least), so that a changed format or a truncated
download never replaces a good list with a poor one. See docs/apis.md.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cerfa.lookups import kali
from cerfa.lookups.client import USER_AGENT
from rules import idcc as idcc_list

# A batch job, not a person waiting: a generous timeout, and a bound on the size.
_DOWNLOAD_TIMEOUT = 60
_MAX_BYTES = 50_000_000

NOTE = (
    "Liste complète des conventions collectives (IDCC, intitulé, en vigueur ou non), "
    "reconstruite par « python manage.py cerfa_idcc_update » depuis la liste officielle de la "
    "DILA (base KALI) publiée sur data.gouv.fr. Ne pas modifier à la main : relancer la "
    "commande."
)


class Command(BaseCommand):
    help = (
        "Reconstruit rules/data/idcc.json depuis la liste officielle des conventions collectives."
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
            default=300,
            help="Nombre minimal de conventions pour remplacer la liste.",
        )

    def handle(self, *args, source=None, output=None, minimum=300, **options):
        source = source or settings.CERFA_IDCC_SOURCE_URL
        content = self._read(source)
        try:
            conventions = kali.parse_xlsx(content)
        except kali.KaliFormatError as exc:
            raise CommandError(str(exc)) from None
        count = len(conventions.conventions)
        if count < minimum:
            raise CommandError(
                f"Seulement {count} conventions lues (au moins {minimum} attendues) : la liste "
                "actuelle est conservée. Vérifiez la source."
            )
        self._write(Path(output), idcc_list.dumps(conventions, NOTE))
        in_force = sum(1 for c in conventions.conventions.values() if c.en_vigueur)
        self.stdout.write(
            f"{count} conventions collectives ({in_force} en vigueur) écrites dans {output}."
        )

    def _read(self, source: str) -> bytes:
        if not source.startswith(("http://", "https://")):
            try:
                return Path(source).read_bytes()
            except OSError as exc:
                raise CommandError(f"Impossible de lire {source} : {exc.strerror}.") from None
        try:
            with requests.get(
                source, timeout=_DOWNLOAD_TIMEOUT, stream=True, headers={"User-Agent": USER_AGENT}
            ) as response:
                response.raise_for_status()
                chunks, size = [], 0
                for chunk in response.iter_content(chunk_size=1 << 16):
                    size += len(chunk)
                    if size > _MAX_BYTES:
                        raise CommandError("Le fichier téléchargé est anormalement gros.")
                    chunks.append(chunk)
        except requests.RequestException as exc:
            raise CommandError(
                f"Téléchargement impossible ({type(exc).__name__}) : vérifiez la connexion, ou "
                "téléchargez le fichier et passez-le avec --source."
            ) from None
        return b"".join(chunks)

    @staticmethod
    def _write(path: Path, text: str) -> None:
        # Written beside the target then renamed: a reader never sees half a file.
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
