"""The documents generated from a dossier, one module each (docs/engineering-practices.md):
their dates, amounts and deadlines come from ``rules/``, never computed here."""
