"""Platform status publisher: collect from Uptime Kuma and Spaces, decide, publish status.json."""

__version__ = "0.1.0"
