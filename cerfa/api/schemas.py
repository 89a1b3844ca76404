"""What the API answers, as pydantic models: django-ninja checks each answer against them
and writes them into the OpenAPI description. The dossier itself is described by the JSON
Schema derived from rules/dossier.py (``rules.schema``): one description of the format."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema


class FindingOut(Schema):
    level: Literal["error", "warning", "info"] = Field(
        description="error : l'OPCO refuserait le contrat ou la loi l'interdit ; warning : "
        "probablement faux, ou une pièce ou une démarche de plus ; info : à savoir."
    )
    code: str = Field(description="identifiant stable de la règle", examples=["apprenti.nir.cle"])
    fields: list[str] = Field(
        description="chemins des champs en cause, les listes comptées à partir de 0",
        examples=[["apprenti.nir"]],
    )
    message: str = Field(description="ce qui ne va pas et quoi faire, en français")
    reference: str = Field(description="source légale ou officielle, peut être vide")


class CheckOut(Schema):
    findings: list[FindingOut]


class CompleteOut(Schema):
    dossier: dict[str, Any] = Field(description="le dossier complété, au format cerfa-fa13/1")
    findings: list[FindingOut] = Field(description="ce qui a été complété ou corrigé, et d'où")
    montants: dict[str, Any] | None = Field(
        description="montant minimal de chaque période de rémunération ; null tant que les "
        "dates manquent"
    )
    calendrier: dict[str, Any] | None = Field(
        description="les échéances du contrat ; null tant que les dates manquent"
    )


class ProblemOut(Schema):
    """RFC 9457."""

    type: str = Field(description="lien vers l'explication de ce problème dans la documentation")
    title: str
    status: int
    detail: str = Field(description="en français, nomme l'endroit du problème")
    instance: str = Field(description="l'adresse appelée, sans ses paramètres")
