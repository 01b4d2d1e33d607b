"""Pure decisions: status, backups and uptime. No I/O; every rule is written in docs/status-rules.md."""
