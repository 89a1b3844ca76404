"""Aggregate counts for the « Statistiques » page (issue 15): counters, not traces.

``from cerfa.stats import count; count("telechargement.zip")`` adds one to today's total of
that counter. Nothing else is ever recorded: a counter's name is a constant of the code
(lowercase letters, digits, ``_``, ``-``, dots), never a value the user typed; no
identifier of a person, a session or a contract, no address, no browser, and no time
finer than the day. Counts are buffered in memory and written in batches
(``cerfa/stats/counters.py``), so that a page never waits for the database.
"""

from cerfa.stats.counters import count

__all__ = ["count"]
