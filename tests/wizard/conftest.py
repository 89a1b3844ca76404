import io
import json
import re

import pytest

from cerfa.store import get_store
from tests.helpers import EXAMPLE


@pytest.fixture(autouse=True)
def _empty_store():
    get_store().clear()
    yield
    get_store().clear()


def example_json() -> bytes:
    return EXAMPLE.read_bytes()


def upload(client, content: bytes, name: str = "dossier.json"):
    """POST a draft to « Reprendre un brouillon »."""
    file = io.BytesIO(content)
    file.name = name
    return client.post("/contrat/reprendre/", {"dossier": file})


def uploaded_contract(client, content: bytes | None = None) -> str:
    """Upload a draft and return its contract's base URL (/contrat/<id>/)."""
    response = upload(client, content or example_json())
    assert response.status_code == 302, response.content.decode()[:500]
    match = re.match(r"^(/contrat/[0-9a-f-]{36}/)", response.url)
    assert match, response.url
    return match.group(1)


def started_contract(client) -> str:
    response = client.post("/contrat/nouveau/")
    assert response.status_code == 302
    return re.match(r"^(/contrat/[0-9a-f-]{36}/)", response.url).group(1)


def management(base: str, step: str, *, stop_on_errors: bool = False) -> dict:
    """The wizard's management form for a step. Most tests post part of a step and move
    on (« Continuer malgré tout »); ``stop_on_errors`` posts « Suivant » alone, which shows
    a step with error findings once more."""
    contrat_hex = base.strip("/").split("/")[-1].replace("-", "")
    data = {f"contrat_{contrat_hex}-current_step": step}
    if not stop_on_errors:
        data["cerfa_continuer"] = "1"
    return data


def dossier_json(client, base: str) -> dict:
    response = client.get(base + "dossier.json")
    assert response.status_code == 200
    return json.loads(response.content)
