"""Receiving a draft (.json): in memory only, and small.

Django writes uploads above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file; a draft
holds personal data and must never touch the disk, and a real dossier weighs a few
kilobytes. This handler keeps the file in memory and stops reading past ``MAX_BYTES``.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MAX_BYTES = 200_000
FIELD = "dossier"


class MemoryOnlyUpload(FileUploadHandler):
    # A batch of contracts takes more (cerfa/batch/web.py, CERFA_BATCH_UPLOAD_BYTES).
    max_bytes = MAX_BYTES

    def __init__(self, request=None):
        super().__init__(request)
        self.too_big = False
        self._buffer: io.BytesIO | None = None
        self._size = 0

    def new_file(
        self,
        field_name,
        file_name,
        content_type,
        content_length,
        charset=None,
        content_type_extra=None,
    ):
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        self._buffer = io.BytesIO()
        self._size = 0

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        if self._size > self.max_bytes:
            self.too_big = True
            self.request.cerfa_upload_too_big = True
            self._buffer = None
            # Read the rest of the request and drop it, so that the other fields (the
            # CSRF token) are still parsed.
            raise StopUpload(connection_reset=False)
        self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self._buffer is None:
            return None
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            file=self._buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def problem(request) -> str | None:
    """What is wrong with the uploaded draft before reading it, in French; None if nothing."""
    files = request.FILES  # reads the body (if nothing has yet), through MemoryOnlyUpload
    if getattr(request, "cerfa_upload_too_big", False):
        return (
            f"Le fichier est trop gros (plus de {MAX_BYTES // 1000} ko) : un dossier en fait "
            "quelques-uns. Choisissez le fichier .json téléchargé depuis ce service."
        )
    if FIELD not in files:
        return "Aucun fichier reçu : choisissez le fichier .json de votre brouillon, puis validez."
    if files[FIELD].size == 0:
        return "Le fichier est vide : choisissez le fichier .json de votre brouillon."
    return None
