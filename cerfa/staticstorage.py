"""Static files for production: hashed names (cached for a year), compressed copies, and
the DSFR's own files left byte for byte as published.

django-dsfr's pages load the DSFR's stylesheets and scripts with Subresource Integrity:
the browser refuses them unless their bytes hash to the value django-dsfr ships. Django's
manifest storage rewrites every ``url(…)`` inside a stylesheet to point to hashed names,
which changes those bytes: the pages came out unstyled. Here the DSFR's files keep their
content (their ``url(…)`` go to the unhashed copies, which ``collectstatic`` keeps beside
the hashed ones); every other file is processed as usual.
"""

from servestatic.storage import CompressedManifestStaticFilesStorage

# Files published with integrity hashes, under these static paths.
UNTOUCHED = ("dsfr/",)


class StaticStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        if name.startswith(UNTOUCHED):
            # The reference stays as written: the file's bytes are the published ones.
            return lambda matchobj: matchobj["matched"]
        return super().url_converter(name, hashed_files, template)
