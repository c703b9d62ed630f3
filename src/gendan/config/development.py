"""Settings for `gendan demo`, `gendan serve` and development on one machine.

DEBUG is off unless asked for (`DEBUG=true`): the demo is opened to dealers, and Django's
technical pages show the URL patterns and the settings to anyone who mistypes an address.
"""

import os
import secrets
from pathlib import Path

from gendan.config.base import *  # noqa: F403
from gendan.config.base import VAR_DIR
from gendan.config.env import env, env_bool


def secret_key_kept(path: Path) -> str:
    """The key made on the first start and kept in var/: sessions outlive a restart, and no two
    installations share a key printed in the source."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}")
    draft.write_text(secrets.token_urlsafe(50) + "\n", encoding="ascii")
    draft.chmod(0o600)
    try:
        # A link never replaces a file: of two processes starting at once, the first key wins.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or secret_key_kept(VAR_DIR / "secret_key")
# Without DEBUG, `gendan manage runserver` serves no static files: WhiteNoise finds them in the
# apps, as collectstatic would.
WHITENOISE_USE_FINDERS = True
