"""Settings for `gendan demo`, `gendan serve` and development on one machine."""

from gendan.config.base import *  # noqa: F403
from gendan.config.env import env, env_bool

DEBUG = env_bool("DEBUG", default=True)
# Only for a local machine: production.py refuses to start without a real SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="gendan-development-only-not-secret")
