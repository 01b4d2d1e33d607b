"""What customers and tools read, built from status.json on every publish: the status page, a badge, an
Atom feed and Statuspage-compatible API files. Rendering only: the publisher decides where they go."""
