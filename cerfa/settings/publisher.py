"""Who publishes the service: shown on the legal pages (cerfa/views.py, templates/pages/).

The project names no organisation: whoever puts the service online fills these in. The
law asks for them: the publisher's name, address and a way to reach it, the director of
publication and the host's name, address and telephone (loi n° 2004-575 du 21 juin 2004,
article 6, III). While one is empty, its page says plainly that it is still to be given.
"""

from cerfa.settings.env import env_str

CERFA_EDITEUR_NOM = env_str("CERFA_EDITEUR_NOM").strip()
CERFA_EDITEUR_ADRESSE = env_str("CERFA_EDITEUR_ADRESSE").strip()
# An e-mail address or a web form: where users report a problem and exercise their rights.
CERFA_EDITEUR_CONTACT = env_str("CERFA_EDITEUR_CONTACT").strip()
CERFA_DIRECTEUR_PUBLICATION = env_str("CERFA_DIRECTEUR_PUBLICATION").strip()
# The host's name, address and telephone, in one line.
CERFA_HEBERGEUR = env_str("CERFA_HEBERGEUR").strip()
