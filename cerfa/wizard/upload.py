"""Receiving a draft (.json) or a filled contract (.pdf): in memory only, and small.

Django writes uploads above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file; a draft
holds personal data and must never touch the disk. A real dossier weighs a few kilobytes
(``MAX_BYTES``), a filled CERFA some 400 kB to 1 MB (``MAX_PDF_BYTES``, cerfa/pdfimport's
own bound). This handler keeps the file in memory and stops reading past the PDF bound;
a file that is not a PDF is then held to the draft's (``problem``).
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from cerfa.pdfimport import MAX_JSON_BYTES, MAX_PDF_BYTES

MAX_BYTES = MAX_JSON_BYTES  # a dossier .json
FIELD = "dossier"
PDF_MAGIC = b"%PDF-"


class MemoryOnlyUpload(FileUploadHandler):
    # A filled CERFA is the largest file « Reprendre » takes; a batch of contracts takes
    # more (cerfa/batch/web.py, CERFA_BATCH_UPLOAD_BYTES).
    max_bytes = MAX_PDF_BYTES

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
            f"Le fichier est trop gros (plus de {MAX_PDF_BYTES // 1_000_000} Mo) : un contrat "
            "PDF rempli fait moins de 1 Mo, un dossier .json quelques ko. Choisissez le "
            "contrat seul ou le fichier .json téléchargé depuis ce service."
        )
    if FIELD not in files:
        return "Aucun fichier reçu : choisissez le fichier .json de votre brouillon, puis validez."
    uploaded = files[FIELD]
    if uploaded.size == 0:
        return "Le fichier est vide : choisissez le fichier .json de votre brouillon."
    head = uploaded.read(1024)
    uploaded.seek(0)
    if PDF_MAGIC not in head and uploaded.size > MAX_BYTES:
        return (
            f"Le fichier est trop gros (plus de {MAX_BYTES // 1000} ko) : un dossier en fait "
            "quelques-uns. Choisissez le fichier .json téléchargé depuis ce service."
        )
    return None
