"""The project's own history: beat counts per monitor, status memory, status-change events.

counts.py and stability.py are pure; state.py reads and writes the private history objects; public.py
builds the public daily bars.
"""
