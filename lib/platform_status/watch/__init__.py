"""Watching the watcher: alerts, the dead man's switch (heartbeat) and the freshness check."""
