"""Settings, read from the environment with production-safe defaults.

``CERFA_ENV`` picks the environment: ``production`` (default: no debug, a secret key is
required to serve pages), ``development`` or ``test``. Each integration has its own small
module, imported here.
"""

from cerfa.settings.api import *  # noqa: F403
from cerfa.settings.apis import *  # noqa: F403
from cerfa.settings.base import *  # noqa: F403
from cerfa.settings.database import *  # noqa: F403
from cerfa.settings.dsfr import *  # noqa: F403
from cerfa.settings.logging import *  # noqa: F403
from cerfa.settings.publisher import *  # noqa: F403
from cerfa.settings.security import *  # noqa: F403
from cerfa.settings.sessions import *  # noqa: F403
