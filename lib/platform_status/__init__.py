"""Platform status publisher: collect from Uptime Kuma and Spaces, decide, publish status.json."""

import os

# Pydantic looks for plugins in every installed distribution's entry points when the first model is built:
# a scan of the whole virtualenv at every cold start, for plugins this project does not use.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

__version__ = "0.1.0"
