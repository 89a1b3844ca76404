"""The one file format of the reference tables bundled in ``rules/data/``.

A table is a UTF-8 text, gzip-compressed when its name ends in ``.gz``: first a few
header lines ``# key: value`` (``source``, ``date``, ``licence``, ``note``…), then one
record a line, its fields separated by tabs. The loaders of ``rules/communes.py``,
``rules/diplomes.py``, ``rules/naf.py`` and ``rules/opco.py`` read it; the command
``manage.py cerfa_table_update`` writes it, so that the two never disagree on the format.

Text and tabs rather than JSON: a table of 6,000 or 40,000 records is read in a few
milliseconds with ``str.split``, which matters because ``cerfa check`` on one file has a
250 ms budget from the process's start. Plain Python: no Django.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# Header keys every table carries: where it comes from and when, so that a message can
# say how old its answer may be.
REQUIRED = ("table", "source", "date")


@dataclass(frozen=True)
class TableFile:
    meta: dict[str, str]
    lines: list[str]  # the records, one a line, without their line break


class TableFormatError(ValueError):
    """A bundled or rebuilt table that is not in the format (one line of French)."""


def parse(text: str, name: str) -> TableFile:
    meta: dict[str, str] = {}
    lines = text.split("\n")
    at = 0
    while at < len(lines) and lines[at].startswith("#"):
        key, sep, value = lines[at][1:].partition(":")
        if not sep:
            raise TableFormatError(f"Table {name} : ligne d'en-tête sans « clé: valeur ».")
        meta[key.strip()] = value.strip()
        at += 1
    missing = [key for key in REQUIRED if not meta.get(key)]
    if missing:
        raise TableFormatError(f"Table {name} : en-tête incomplet ({', '.join(missing)}).")
    records = lines[at:]
    if records and records[-1] == "":
        records.pop()
    return TableFile(meta, records)


def read(path: Path) -> TableFile:
    """The table at ``path`` (gzip-decompressed when its name ends in .gz)."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return parse(data.decode("utf-8"), path.name)


def render(meta: dict[str, str], records: list[str]) -> str:
    for key in REQUIRED:
        if not meta.get(key):
            raise TableFormatError(f"En-tête « {key} » manquant.")
    head = []
    for key, value in meta.items():
        if "\n" in value or "\n" in key or ":" in key:
            raise TableFormatError(f"En-tête « {key} » illisible.")
        head.append(f"# {key}: {value}")
    for record in records:
        if "\n" in record or "\r" in record:
            raise TableFormatError("Un enregistrement contient un saut de ligne.")
    return "\n".join(head + records) + "\n"


def write(path: Path, meta: dict[str, str], records: list[str]) -> None:
    """Write a table, gzip-compressed when ``path`` ends in .gz (with no timestamp, so that
    the same data always gives the same bytes)."""
    data = render(meta, records).encode("utf-8")
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    write_bytes(path, data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Written beside the target then renamed: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the table from the server
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def header_accessors(module: str, bundled: Callable[[], Any]):
    """A loader module's ``info()`` (its table's header: source, date, licence, note) and
    its module ``__getattr__``, which gives ``TABLE_DATE`` and ``SOURCE`` from that header
    on first use: a rebuilt table never disagrees with a constant written in the code."""

    def info() -> dict[str, str]:
        return dict(bundled().meta)

    def module_getattr(name: str) -> str:
        if name == "TABLE_DATE":
            return bundled().meta["date"]
        if name == "SOURCE":
            return bundled().meta["source"]
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return info, module_getattr
