import pytest

from cerfa.stats import counters
from cerfa.store import get_store


@pytest.fixture(autouse=True)
def _nothing_pending():
    counters.discard()
    get_store().clear()
    yield
    counters.discard()
    get_store().clear()


def totals() -> dict[str, int]:
    """Write what is pending, then every counter's total (all days together)."""
    from cerfa.stats.models import DailyCount

    counters.flush()
    result: dict[str, int] = {}
    for row in DailyCount.objects.all():
        result[row.name] = result.get(row.name, 0) + row.value
    return result
