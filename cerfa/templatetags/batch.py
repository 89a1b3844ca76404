"""``{% batch_return contrat_id %}``: the « Revenir au lot » address of a contract opened
from a row of the session's batch (``cerfa/batch/jobs.py``), or "" for any other."""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def batch_return(context, contrat_id) -> str:
    from cerfa.batch.jobs import origin

    request = context.get("request")
    if request is None or contrat_id is None:
        return ""
    found = origin(request, contrat_id)
    if found is None:
        return ""
    lot, index = found
    return reverse("batch:back", kwargs={"lot": lot, "index": index})
