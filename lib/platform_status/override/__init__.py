"""The manual override: its rules (pure), its private state and audit trail, the web API, the command
line's client, and the CDN purge."""
