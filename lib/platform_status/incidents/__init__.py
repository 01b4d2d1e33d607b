"""Incidents and scheduled maintenance: what they are (model), where they are kept (log), what the public
sees of them (public), how a request changes them (changes), and the web routes (routes)."""
