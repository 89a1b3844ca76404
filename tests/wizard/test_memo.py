"""The dossier a contract's steps make, kept beside the contract between requests
(cerfa/wizard/memo.py): read back while the steps are the same, made again when they
change, erased with the contract, never outliving it."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from cerfa.store import MEMO, Capacity, MemoryStore, StoreFull, get_store
from cerfa.wizard import convert, memo
from rules.dossier import Dossier
from tests.wizard.conftest import dossier_json, management, uploaded_contract


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """How many times the steps were read through their forms."""
    made: list[int] = []
    original = convert.build

    def counting(*args, **kwargs):
        made.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(convert, "build", counting)
    return made


def memo_keys() -> list[str]:
    return [key for key in get_store().keys() if f":{MEMO}:" in key]


def test_a_page_shown_again_reads_the_memo(client, builds):
    base = uploaded_contract(client)
    client.get(base + "apprenti/")
    assert memo_keys()
    before = len(builds)
    for step in ("apprenti", "employeur", "recapitulatif"):
        assert client.get(base + step + "/").status_code == 200
    assert client.get(base + "dossier.json").status_code == 200
    assert len(builds) == before


def test_the_same_page_with_and_without_memo(client, monkeypatch):
    """What a page shows is the same whether its dossier was made or read back."""
    base = uploaded_contract(client)
    client.get(base + "recapitulatif/")
    pages = {step: client.get(base + step + "/").content for step in ("formation", "recapitulatif")}
    monkeypatch.setattr(memo, "load", lambda store: None)
    for step, content in pages.items():
        fresh = client.get(base + step + "/").content
        # The CSRF token differs from one response to the next; nothing else may.
        strip = lambda page: b"\n".join(  # noqa: E731
            line for line in page.splitlines() if b"csrfmiddlewaretoken" not in line
        )
        assert strip(fresh) == strip(content), step


def test_a_step_stored_makes_the_dossier_again(client, builds):
    base = uploaded_contract(client)
    client.get(base + "employeur/")
    stored = convert.step_data_from(Dossier.from_dict(dossier_json(client, base)))["employeur"]
    data = {name: values[0] for name, values in stored.items()}
    data["employeur__denomination"] = "Boulangerie Nouvelle"
    client.post(base + "employeur/", {**management(base, "employeur"), **data})
    before = len(builds)
    assert dossier_json(client, base)["employeur"]["denomination"] == "Boulangerie Nouvelle"
    assert "Boulangerie Nouvelle" in client.get(base + "employeur/").content.decode()
    assert len(builds) <= before + 1


def test_another_version_of_the_code_or_another_day_makes_it_again(client, builds, monkeypatch):
    base = uploaded_contract(client)
    client.get(base + "apprenti/")
    before = len(builds)
    client.get(base + "apprenti/")
    assert len(builds) == before  # the same day and code: read back
    real = memo.code_digest
    monkeypatch.setattr(memo, "code_digest", lambda: "autre version")
    client.get(base + "apprenti/")
    assert len(builds) == before + 1
    monkeypatch.setattr(memo, "code_digest", real)

    monkeypatch.setattr(memo, "today", lambda: datetime.date(2099, 1, 1))
    client.get(base + "apprenti/")
    assert len(builds) == before + 2


def test_a_memo_is_small_beside_its_contract(client):
    """Compressed: each step's tree repeats the ones before it."""
    base = uploaded_contract(client)
    client.get(base + "recapitulatif/")  # the findings too
    (key,) = memo_keys()
    store = get_store()
    memo_size = len(store._entries[key][2])
    contract_size = len(store._entries[key.replace(f":{MEMO}:", ":contrat:")][2])
    assert memo_size < 2 * contract_size, (memo_size, contract_size)


def test_erasing_the_contract_erases_its_memo(client):
    base = uploaded_contract(client)
    client.get(base + "apprenti/")
    assert memo_keys()
    client.post(base + "effacer/")
    assert memo_keys() == []


def test_the_memo_never_outlives_its_contract(client):
    base = uploaded_contract(client)
    client.get(base + "apprenti/")
    store = get_store()
    (key,) = memo_keys()
    contract = key.replace(f":{MEMO}:", ":contrat:")
    memo_expiry, contract_expiry = store._entries[key][1], store._entries[contract][1]
    assert memo_expiry <= contract_expiry - memo.MARGIN_SECONDS + 1
    assert contract_expiry - memo_expiry < settings.SESSION_COOKIE_AGE


def test_a_full_store_refuses_the_memo_not_the_contract():
    """Memos are counted apart: when there is no room for one, contracts still come."""
    store = MemoryStore(Capacity(sessions=5, contracts=1, max_bytes=10_000), start_sweeper=False)
    assert store.create(MEMO, "cerfa:memo:a:1", {"x": 1}, 60)
    with pytest.raises(StoreFull):
        store.create(MEMO, "cerfa:memo:a:2", {"x": 1}, 60)
    assert store.create("contrat", "cerfa:contrat:a:1", {"x": 1}, 60)


def test_memos_give_their_room_to_a_new_contract():
    """The bytes memos take never refuse a contract: they are made again on demand."""
    store = MemoryStore(Capacity(sessions=5, contracts=5, max_bytes=1_000), start_sweeper=False)
    for n in range(3):  # 259 bytes each
        assert store.create(MEMO, f"cerfa:memo:a:{n}", {"x": "m" * 250}, 60 + n)
    assert store.create("contrat", "cerfa:contrat:a:1", {"x": "c" * 500}, 60)
    left = [key for key in store.keys() if ":memo:" in key]
    assert left == ["cerfa:memo:a:2"]  # as few as needed, the soonest to expire first
    assert store.create("contrat", "cerfa:contrat:a:2", {"x": "c" * 200}, 60)
    with pytest.raises(StoreFull):  # contracts are never evicted
        store.create("contrat", "cerfa:contrat:a:3", {"x": "c" * 500}, 60)
    assert [key for key in store.keys() if ":memo:" in key] == []
