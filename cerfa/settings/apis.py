"""External public APIs used for auto-completion (all optional, all key-less).

What each API receives and what happens when it is down: docs/apis.md. Every lookup is
optional: with ``CERFA_LOOKUPS_ENABLED=false`` (the default in tests) nothing leaves the
server and the user simply types the values.
"""

from django.core.exceptions import ImproperlyConfigured

from cerfa.settings.env import env_bool, env_int, env_str

# Off in tests: tests replay recorded responses and never touch the network.
CERFA_LOOKUPS_ENABLED = env_bool("CERFA_LOOKUPS_ENABLED", True)

# A person waits for the answer while filling the form: at most 3 seconds to connect and
# between two reads, and a whole lookup (retry and fallback included) ends after twice
# that on the wall clock, whatever the API does (cerfa/lookups/client.py).
CERFA_LOOKUP_TIMEOUT_SECONDS = env_int("CERFA_LOOKUP_TIMEOUT_SECONDS", 3)
if not 1 <= CERFA_LOOKUP_TIMEOUT_SECONDS <= 3:
    raise ImproperlyConfigured(
        "CERFA_LOOKUP_TIMEOUT_SECONDS doit valoir 1, 2 ou 3 (secondes), pas "
        f"{CERFA_LOOKUP_TIMEOUT_SECONDS}"
    )

# Requests waiting on the APIs at the same time: per API, and in all. Past them a lookup
# answers « indisponible » at once instead of queueing, so that a hanging API never holds
# more than this many of the server's threads, and pages never wait behind lookups. One
# lookup takes a fraction of a second when the API is well: a handful in flight is plenty.
CERFA_LOOKUP_MAX_IN_FLIGHT_PER_API = env_int("CERFA_LOOKUP_MAX_IN_FLIGHT_PER_API", 3, minimum=1)
CERFA_LOOKUP_MAX_IN_FLIGHT = env_int("CERFA_LOOKUP_MAX_IN_FLIGHT", 6, minimum=1)

# Circuit breaker per API: after this many failures in a row (timeout, connection error,
# 5xx, unusable answer; a 404 is an answer), the API is not asked for this many seconds,
# then one trial request tells whether it is back.
CERFA_LOOKUP_BREAKER_FAILURES = env_int("CERFA_LOOKUP_BREAKER_FAILURES", 5, minimum=1)
CERFA_LOOKUP_BREAKER_SECONDS = env_int("CERFA_LOOKUP_BREAKER_SECONDS", 30, minimum=1)

# Lookups per client of the JSON endpoints (a third of a minute's allowance may be used
# at once): per session, and per address (several people may share one, in a CFA's
# office). Filling a contract takes about a dozen lookups: 40 contracts an hour is 8 a
# minute. Past the limit the endpoint answers 429 « patientez un instant ».
CERFA_LOOKUP_SESSION_PER_MINUTE = env_int("CERFA_LOOKUP_SESSION_PER_MINUTE", 30, minimum=1)
CERFA_LOOKUP_ADDRESS_PER_MINUTE = env_int("CERFA_LOOKUP_ADDRESS_PER_MINUTE", 120, minimum=1)
# Clients remembered for those limits (the most recently seen; per kind): bounded memory.
CERFA_LOOKUP_CLIENTS_TRACKED = env_int("CERFA_LOOKUP_CLIENTS_TRACKED", 10_000, minimum=1)

# `cerfa complete`: all the lookups of one dossier together stop after this many seconds
# (each one also within its own deadline); what is left is reported as unavailable.
CERFA_COMPLETE_LOOKUPS_SECONDS = env_int("CERFA_COMPLETE_LOOKUPS_SECONDS", 20, minimum=1)

# Answers are kept in this process's memory for a while (public data only: companies,
# communes, CFA, diplomas), so that going back and forth in the wizard asks nothing twice.
CERFA_LOOKUP_CACHE_SECONDS = env_int("CERFA_LOOKUP_CACHE_SECONDS", 600)
CERFA_LOOKUP_CACHE_SIZE = env_int("CERFA_LOOKUP_CACHE_SIZE", 1000)

# Base address of each public API, overridable (an API moves, a mirror is used).
CERFA_LOOKUP_URLS = {
    # Annuaire des entreprises (DINUM): SIRENE data, conventions collectives. Key-less.
    "entreprises": env_str(
        "CERFA_LOOKUP_URL_ENTREPRISES", "https://recherche-entreprises.api.gouv.fr"
    ),
    # API Découpage administratif (IGN / DINUM): communes by postal code. Key-less.
    "geo": env_str("CERFA_LOOKUP_URL_GEO", "https://geo.api.gouv.fr"),
    # Référentiel des organismes de formation en apprentissage (ONISEP). Key-less reads.
    "referentiel": env_str(
        "CERFA_LOOKUP_URL_REFERENTIEL", "https://referentiel.apprentissage.onisep.fr"
    ),
    # Catalogue des formations en apprentissage (Réseau des Carif-Oref). Key-less reads.
    "catalogue": env_str(
        "CERFA_LOOKUP_URL_CATALOGUE", "https://catalogue-apprentissage.intercariforef.org"
    ),
    # Code du travail numérique (ministère du Travail): conventions collectives. Key-less.
    "cdtn": env_str("CERFA_LOOKUP_URL_CDTN", "https://code.travail.gouv.fr"),
}

# The official list of conventions collectives (DILA, base KALI, on data.gouv.fr), read by
# `python manage.py cerfa_idcc_update` to rebuild rules/data/idcc.json.
CERFA_IDCC_SOURCE_URL = env_str(
    "CERFA_IDCC_SOURCE_URL",
    "https://www.data.gouv.fr/fr/datasets/r/02b67492-5243-44e8-8dd1-0cb3f90f35ff",
)
