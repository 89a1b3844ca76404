"""DSFR, the État's design system, through django-dsfr."""

DSFR_USE_INTEGRITY_CHECKSUMS = True
