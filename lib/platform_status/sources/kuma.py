"""Uptime Kuma over HTTP: /metrics, and the public status page APIs when a slug is configured.

Every failure becomes SourceUnavailable with a short reason that names no secret and no host, and says what
happened: refused, timed out connecting, no answer within so many seconds, HTTP 404, too large. Each request
has its own timeout, well inside the run's budget, and a timeout is not retried (Kuma 1.23 never answers a
request for an unknown status page: waiting again only spends the budget twice). Bodies are streamed with a
size cap and parsed as they arrive, and a request still running at the run's deadline is cut off
(`abort`), so no thread outlives the run, even in a warm container.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import IO, Any, TypeVar

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import HTTPError, ReadTimeoutError
from urllib3.util.retry import Retry

from platform_status.config import Settings
from platform_status.monitors import KumaSnapshot
from platform_status.sources.kuma_format import KumaFormatError
from platform_status.sources.kuma_heartbeats import Heartbeats, read_heartbeats
from platform_status.sources.kuma_metrics import MetricsReading, parse_metrics_lines
from platform_status.sources.kuma_page import StatusPage, parse_status_page
from platform_status.sources.kuma_snapshot import build_snapshot
from platform_status.sources.report import SourceUnavailable

CONNECT_TIMEOUT_SECONDS = 3.05
METRICS_TIMEOUT_SECONDS = 20.0
PAGE_TIMEOUT_SECONDS = 5.0  # small, and Kuma 1.23 never answers for an unknown slug
HEARTBEAT_TIMEOUT_SECONDS = 20.0
MIB = 1024 * 1024
METRICS_MAX_BYTES = 128 * MIB
PAGE_MAX_BYTES = 16 * MIB
HEARTBEAT_MAX_BYTES = 256 * MIB
CHUNK_BYTES = 256 * 1024
# Kuma caches the status page APIs (5 min for the page, 1 min for heartbeats); this header skips that cache.
CACHE_BYPASS_HEADER = {"x-apicache-bypass": "1"}
T = TypeVar("T")
CUT_OFF = "cut off (the run's budget ran out, or another request failed first)"


class _AbortableAdapter(HTTPAdapter):
    """An adapter whose connections the client can cut off, also while a request still waits for the first
    byte of its answer: until then requests has no response to close, and only the socket can be shut."""

    def __init__(self, connections: weakref.WeakSet[Any], **kwargs: Any) -> None:
        self._connections = connections
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        connections = self._connections

        def tracked(pool_class: type[HTTPConnectionPool]) -> type[HTTPConnectionPool]:
            class Tracked(pool_class):  # type: ignore[valid-type,misc]
                def _get_conn(self, timeout: float | None = None) -> Any:
                    connection = super()._get_conn(timeout)
                    connections.add(connection)
                    return connection

            return Tracked

        self.poolmanager.pool_classes_by_scheme = {
            "http": tracked(HTTPConnectionPool),
            "https": tracked(HTTPSConnectionPool),
        }


def _retrying_session(retries: int, connections: weakref.WeakSet[Any]) -> requests.Session:
    retry = Retry(
        total=retries,
        connect=min(retries, 1),
        read=0,  # a timeout is an answer: retrying it spends the budget again for the same silence
        status=retries,
        backoff_factor=0.25,
        backoff_max=2.0,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,  # the last response comes back, so its status names the failure
    )
    session = requests.Session()
    session.mount("http://", _AbortableAdapter(connections, max_retries=retry))
    session.mount("https://", _AbortableAdapter(connections, max_retries=retry))
    session.headers["User-Agent"] = "platform-status"
    return session


class _Body(io.RawIOBase):
    """A response body read in chunks, stopped at `limit` bytes or at the run's deadline."""

    def __init__(self, response: requests.Response, what: str, limit: int, deadline: float) -> None:
        self._response, self._what, self._limit, self._deadline = response, what, limit, deadline
        self.received = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if time.monotonic() > self._deadline:
            raise SourceUnavailable(f"{self._what}: still arriving at the end of the run's budget")
        chunk = self._response.raw.read(min(len(buffer), CHUNK_BYTES), decode_content=True)
        self.received += len(chunk)
        if self.received > self._limit:
            size = f"{self._limit // MIB} MiB" if self._limit >= MIB else f"{self._limit // 1024} KiB"
            raise SourceUnavailable(f"{self._what}: too large (over {size})")
        buffer[: len(chunk)] = chunk
        return len(chunk)


class KumaClient:
    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        timeout_seconds: float = METRICS_TIMEOUT_SECONDS,
        retries: int = 2,
        session: requests.Session | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout_seconds
        self._connections: weakref.WeakSet[Any] = weakref.WeakSet()  # every connection the session opened
        self._session = session or _retrying_session(retries, self._connections)
        self._open: set[requests.Response] = set()
        self._lock = threading.Lock()
        self._aborted = False

    # -------------------------------------------------------------------------------------- the requests

    def metrics(self, deadline: float) -> MetricsReading:
        with self._stream("/metrics", deadline, self._timeout, auth=self._auth()) as response:
            self._check_metrics_status(response)
            body = _Body(response, "/metrics", METRICS_MAX_BYTES, deadline)
            # newline="\n": lines end at \n only, as the format says (a \r stays inside its line, untranslated).
            lines = io.TextIOWrapper(
                io.BufferedReader(body, CHUNK_BYTES), encoding="utf-8", errors="replace", newline="\n"
            )
            return _parsed(lambda: parse_metrics_lines(lines))

    def metrics_text(self, deadline: float) -> str:
        """The whole /metrics body (for `doctor` and tests; a run streams it with `metrics`)."""
        with self._stream("/metrics", deadline, self._timeout, auth=self._auth()) as response:
            self._check_metrics_status(response)
            return _Body(response, "/metrics", METRICS_MAX_BYTES, deadline).readall().decode("utf-8", "replace")

    def status_page_json(self, slug: str, deadline: float) -> bytes:
        what = f"status page {slug}"
        with self._stream(f"/api/status-page/{slug}", deadline, PAGE_TIMEOUT_SECONDS, what=what) as response:
            if response.status_code == 404:
                raise SourceUnavailable(f"status page not found: {slug} (HTTP 404, check UPTIME_KUMA_STATUS_PAGE)")
            self._raise_for_status(response, what)
            return _Body(response, what, PAGE_MAX_BYTES, deadline).readall()

    def status_page(self, slug: str, deadline: float) -> StatusPage:
        body = self.status_page_json(slug, deadline)
        return _parsed(lambda: parse_status_page(body))

    def heartbeats(self, slug: str, deadline: float, now: datetime | None = None) -> Heartbeats:
        what = f"heartbeats of status page {slug}"
        path = f"/api/status-page/heartbeat/{slug}"
        with self._stream(path, deadline, HEARTBEAT_TIMEOUT_SECONDS, what=what) as response:
            self._raise_for_status(response, what)
            body: IO[bytes] = io.BufferedReader(_Body(response, what, HEARTBEAT_MAX_BYTES, deadline), CHUNK_BYTES)
            return _parsed(lambda: read_heartbeats(body, now))

    def abort(self) -> None:
        """Cut off every request still running (the run's deadline has come): their threads end at once."""
        with self._lock:
            self._aborted = True
            responses = list(self._open)
        for response in responses:
            with contextlib.suppress(OSError):  # it may have finished and closed meanwhile: then it is done
                response.raw.shutdown()
        for connection in list(self._connections):  # requests still waiting for their first byte
            sock = getattr(connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    # ------------------------------------------------------------------------------------------- helpers

    def _auth(self) -> tuple[str, str] | None:
        # HTTP Basic with an empty user name and the API key as password, as Kuma's /metrics expects.
        return ("", self._api_key) if self._api_key else None

    def _check_metrics_status(self, response: requests.Response) -> None:
        if response.status_code in (401, 403):
            hint = "refused the API key" if self._api_key else "needs an API key"
            raise SourceUnavailable(f"/metrics: HTTP {response.status_code}, Kuma {hint} (UPTIME_KUMA_API_KEY)")
        self._raise_for_status(response, "/metrics")

    def _stream(
        self,
        path: str,
        deadline: float,
        timeout: float,
        *,
        auth: tuple[str, str] | None = None,
        what: str | None = None,
    ) -> _OpenResponse:
        what = what or path
        remaining = deadline - time.monotonic()
        if remaining <= 0 or self._aborted:
            raise SourceUnavailable(f"{what}: no time left in the run's budget")
        read_timeout = min(timeout, remaining)
        headers = CACHE_BYPASS_HEADER if path.startswith("/api/status-page/") else None
        try:
            response = self._session.get(
                self._base_url + path,
                auth=auth,
                headers=headers,
                timeout=(min(CONNECT_TIMEOUT_SECONDS, read_timeout), read_timeout),
                allow_redirects=False,
                stream=True,
            )
        except requests.exceptions.RequestException as error:
            raise SourceUnavailable(self._failure(error, what, path, read_timeout)) from None
        return _OpenResponse(self, response, what, path, read_timeout)

    def _failure(self, error: requests.exceptions.RequestException, what: str, path: str, timeout: float) -> str:
        """A request that got no answer, in words of our own: exception texts from requests carry the URL,
        host included. A request the client cut off says so, whatever the socket then raised."""
        if self._aborted:
            reason = CUT_OFF
        elif isinstance(error, requests.exceptions.ConnectTimeout):
            reason = "timed out"
        elif isinstance(error, requests.exceptions.ReadTimeout) or (
            # With no read retries urllib3 wraps a read timeout in MaxRetryError, which requests reports as
            # a ConnectionError: a timeout is still a timeout, never "could not connect".
            isinstance(error, requests.exceptions.ConnectionError) and _caused_by(error, ReadTimeoutError, TimeoutError)
        ):
            return f"{what} {_no_answer(path, timeout)}"
        elif isinstance(error, requests.exceptions.SSLError):
            reason = "TLS error"
        elif isinstance(error, requests.exceptions.RetryError):
            reason = "still failing after retries"
        elif isinstance(error, requests.exceptions.ConnectionError):
            reason = _connection_failure(error)
        else:
            reason = f"request failed ({type(error).__name__})"
        return f"{what}: {reason}"

    def _track(self, response: requests.Response, open_: bool) -> None:
        with self._lock:
            if open_:
                self._open.add(response)
            else:
                self._open.discard(response)

    @staticmethod
    def _raise_for_status(response: requests.Response, what: str) -> None:
        if not 200 <= response.status_code < 300:
            raise SourceUnavailable(f"{what}: HTTP {response.status_code}")


def _parsed(parse: Callable[[], T]) -> T:
    try:
        return parse()
    except KumaFormatError as error:
        raise SourceUnavailable(f"malformed response: {error}") from None
    except RecursionError:
        raise SourceUnavailable("malformed response: nested too deeply") from None


def _no_answer(path: str, seconds: float) -> str:
    """Said of a request that got no answer in time. The hint is for the status page's own request only: Kuma
    1.23 never answers it for an unknown slug; a slow heartbeat request is slow on any version."""
    page_itself = path.startswith("/api/status-page/") and not path.startswith("/api/status-page/heartbeat/")
    hint = " (Kuma 1.23 does not answer for an unknown slug: check UPTIME_KUMA_STATUS_PAGE)" if page_itself else ""
    return f"did not answer within {seconds:.0f} s{hint}"


def _caused_by(error: BaseException, *kinds: type[BaseException]) -> bool:
    """Whether any exception in the chain (causes, contexts, wrapped reasons) is one of `kinds`."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        cause = pending.pop()
        if id(cause) in seen:
            continue
        seen.add(id(cause))
        if isinstance(cause, kinds):
            return True
        pending += [c for c in (cause.__cause__, cause.__context__) if c is not None]
        pending += [arg for arg in cause.args if isinstance(arg, BaseException)]
        reason = getattr(cause, "reason", None)
        if isinstance(reason, BaseException):
            pending.append(reason)
    return False


def _connection_failure(error: BaseException) -> str:
    """Why no connection was made: refused (nothing listens there), or the rest (no route, no such name)."""
    return "could not connect (refused)" if _caused_by(error, ConnectionRefusedError) else "could not connect"


class _OpenResponse:
    """A streamed response while its body is read: known to the client (so `abort` can cut it off),
    closed afterwards, and a read that times out or is cut off is said in words."""

    def __init__(self, client: KumaClient, response: requests.Response, what: str, path: str, timeout: float) -> None:
        self._client, self._response, self._what, self._path, self._timeout = client, response, what, path, timeout

    def __enter__(self) -> requests.Response:
        self._client._track(self._response, open_=True)
        return self._response

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _: object) -> None:
        self._client._track(self._response, open_=False)
        self._response.close()
        if error is None or isinstance(error, SourceUnavailable | KumaFormatError):
            return
        if self._client._aborted:
            raise SourceUnavailable(f"{self._what}: {CUT_OFF}") from None
        if isinstance(error, ReadTimeoutError | TimeoutError):
            raise SourceUnavailable(f"{self._what} {_no_answer(self._path, self._timeout)}") from None
        if isinstance(error, HTTPError | requests.exceptions.RequestException | OSError):
            raise SourceUnavailable(f"{self._what}: the answer broke off ({type(error).__name__})") from None


def kuma_client_for(settings: Settings) -> KumaClient:
    return KumaClient(
        settings.kuma_base_url,
        settings.uptime_kuma_api_key.get_secret_value() if settings.uptime_kuma_api_key else None,
        timeout_seconds=settings.kuma_timeout_seconds,
        retries=settings.kuma_retries,
    )


def collect_kuma(client: KumaClient, slug: str | None, observed_at: datetime, deadline: float) -> KumaSnapshot:
    """Fetch /metrics (and the status page and heartbeats when a slug is set) at the same time, then combine.

    Returns by the deadline, with no thread of its own left behind: the first failure, or the deadline, cuts
    off whatever still runs (its reason is the first failure's, /metrics before the rest)."""
    pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="kuma")
    try:
        metrics = pool.submit(client.metrics, deadline)
        page = pool.submit(client.status_page, slug, deadline) if slug else None
        beats = pool.submit(client.heartbeats, slug, deadline, observed_at) if slug else None
        running: list[Future[Any]] = [future for future in (metrics, page, beats) if future is not None]
        _, pending = wait(running, timeout=max(0.0, deadline - time.monotonic()), return_when=FIRST_EXCEPTION)
        if pending:
            client.abort()  # a failure (or the deadline) came first: the others' answers are not needed
        wait(running)
        failures = [error for error in (future.exception() for future in running) if error is not None]
        if failures:
            # The reason is a real failure's, /metrics first; "cut off" only when the deadline did it.
            real = [f for f in failures if not (isinstance(f, SourceUnavailable) and CUT_OFF in str(f))]
            raise (real or failures)[0]
        return build_snapshot(
            observed_at,
            metrics.result(),
            page.result() if page else None,
            beats.result() if beats else None,
        )
    finally:
        pool.shutdown(wait=True)
