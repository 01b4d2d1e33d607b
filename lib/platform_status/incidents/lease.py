"""One caller at a time for the changes that must see the one before it (resolving an incident, cancelling a
maintenance): a lease object, taken with plain PUT and GET.

Spaces documents no conditional PUT, so the lease is Fischer's timed mutual exclusion over an object store
that reads its own writes: read the lease; if no one holds it, write our token; wait `SETTLE` seconds; read it
again, and hold it only if our token is still there. Whoever read "free" at the same time wrote within the
settle time (a caller whose read-then-write took longer than half of it does not count its write, and tries
again), so after the wait every contender reads the same last token: exactly one goes on. The others wait for
the lease to be given back (or to expire, should its holder die) and then see the change it made.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from platform_status.incidents.log import PRIVATE_JSON
from platform_status.store import ObjectStore
from platform_status.timeutil import utc_now

SETTLE = 0.5  # seconds between writing our token and reading it back
LEASE = timedelta(seconds=30)  # a holder that died frees the lease after this; a change takes well under it
WAIT = 10.0  # seconds a caller waits for a busy lease before it gives up (503)


class Busy(Exception):
    """The lease stayed held for longer than a caller waits."""


def _holder(store: ObjectStore, key: str, now: datetime) -> str | None:
    """The token of whoever holds the lease now; None when it is free (absent, expired or unreadable)."""
    body = store.get(key)
    if body is None:
        return None
    try:
        lease = json.loads(body)
        token, expires_at = str(lease["token"]), datetime.fromisoformat(lease["expires_at"])
    except (ValueError, KeyError, TypeError):
        return None  # a broken lease protects nothing: take it over
    return token if expires_at > now else None


@contextmanager
def exclusive(
    store: ObjectStore,
    key: str,
    *,
    clock: Callable[[], datetime] = utc_now,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[None]:
    token = uuid.uuid4().hex
    give_up = monotonic() + WAIT
    while True:
        if monotonic() > give_up:
            raise Busy(f"{key} could not be taken within {WAIT:.0f} s (held, or the store too slow)")
        started = monotonic()
        holder = _holder(store, key, clock())
        if holder is not None and holder != token:
            sleep(random.uniform(0.05, 0.2))  # noqa: S311 (jitter, not a secret)
            continue
        lease = {"token": token, "expires_at": (clock() + LEASE).isoformat()}
        store.put(key, json.dumps(lease).encode(), PRIVATE_JSON)
        if monotonic() - started > SETTLE / 2:
            continue  # too slow to be sure nobody read "free" and wrote after the settle time: again
        sleep(SETTLE)
        if _holder(store, key, clock()) == token:
            break
    try:
        yield
    finally:
        if _holder(store, key, clock()) == token:
            store.delete(key)
