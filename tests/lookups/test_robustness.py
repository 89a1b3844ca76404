"""No answer of an API, however odd, makes a lookup raise.

Every value of every recorded answer is replaced, one at a time, by values of other JSON
types; every lookup must still return a result (any status), never raise. The answers are
handed over by a stub client, so this runs without HTTP.
"""

import copy

import pytest

from cerfa.lookups import conventions, diplomes, entreprises, geo, organismes
from cerfa.lookups.client import NotFound
from cerfa.lookups.result import LookupResult
from rules import idcc as idcc_list

from .conftest import URLS, fixture

ODD_VALUES = [None, True, 0, -1.5, "", "X", "[NON-DIFFUSIBLE]", [], ["a", 1], {}, {"a": None}]
STATUSES = {"ok", "closed", "not_found", "invalid", "unavailable"}
PARTIAL = idcc_list.IdccList({}, complet=False, source="", date="")


class StubClient:
    """Answers every request with one body (or a 404 for the référentiel, so that the CFA
    lookup also goes through its fallback)."""

    def __init__(self, body, not_found_api=None):
        self.body = body
        self.not_found_api = not_found_api

    def get_json(self, api, url, params=None):
        if api == self.not_found_api:
            raise NotFound()
        return self.body

    def log_unavailable(self, api, reason):
        pass


CASES = {
    "entreprises_siege.json": lambda c: entreprises.lookup(
        "73282932000074", client=c, base_url="x"
    ),
    "entreprises_etablissement.json": lambda c: entreprises.lookup(
        "40123456200171", client=c, base_url="x"
    ),
    "entreprises_cfa.json": lambda c: organismes.lookup(
        "77834512400219", client=StubClient(c.body, not_found_api="referentiel"), urls=URLS
    ),
    "geo_01300.json": lambda c: geo.lookup("01300", client=c, base_url="x"),
    "referentiel_organisme.json": lambda c: organismes.lookup(
        "77834512400219", client=c, urls=URLS
    ),
    "referentiel_uai_plusieurs.json": lambda c: organismes.lookup("0691234S", client=c, urls=URLS),
    "catalogue_cfd.json": lambda c: diplomes.lookup("32031213", client=c, base_url="x"),
    "catalogue_plusieurs_cfd.json": lambda c: diplomes.lookup("RNCP39063", client=c, base_url="x"),
    "cdtn_idcc.json": lambda c: conventions.lookup(
        "2216", client=c, base_url="x", conventions=PARTIAL
    ),
}


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replace(body, path, new):
    if not path:
        return copy.deepcopy(new)
    mutated = copy.deepcopy(body)
    target = mutated
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = copy.deepcopy(new)
    return mutated


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_odd_value_anywhere_still_gives_a_result(name):
    body = fixture(name)["body"]
    lookup = CASES[name]
    assert lookup(StubClient(body)).status in ("ok", "closed")  # the answer as recorded
    tried = 0
    for path in _paths(body):
        for odd in ODD_VALUES:
            result = lookup(StubClient(_replace(body, path, odd)))
            assert isinstance(result, LookupResult), (path, odd)
            assert result.status in STATUSES, (path, odd)
            assert all(isinstance(m, str) and m for m in result.messages), (path, odd)
            tried += 1
    assert tried > 50
