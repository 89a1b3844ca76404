"""Batches of contracts (issue 10), the Django side: the wizard's labels as column names
and the reading of a spreadsheet file; the pure part is ``rules/sheet.py``."""
