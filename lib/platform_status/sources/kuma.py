"""Uptime Kuma over HTTP: /metrics, and the public status page APIs when a slug is configured.

Every failure becomes SourceUnavailable with a short reason that names no secret and no host, so the run
goes on and the status becomes "unknown" instead of a made-up number.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from platform_status.config import Settings
from platform_status.monitors import KumaSnapshot
from platform_status.sources.kuma_parse import (
    KumaFormatError,
    build_snapshot,
    parse_heartbeats,
    parse_metrics,
    parse_status_page,
)
from platform_status.sources.report import SourceUnavailable

CONNECT_TIMEOUT_SECONDS = 3.05
# Kuma caches the status page APIs (5 min for the page, 1 min for heartbeats); this header skips that cache.
CACHE_BYPASS_HEADER = {"x-apicache-bypass": "1"}


def _retrying_session(retries: int) -> requests.Session:
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=0.25,
        backoff_max=2.0,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,  # the last response comes back, so its status names the failure
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers["User-Agent"] = "platform-status"
    return session


class KumaClient:
    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        timeout_seconds: float = 10.0,
        retries: int = 2,
        session: requests.Session | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout_seconds
        self._session = session or _retrying_session(retries)

    def metrics_text(self, deadline: float) -> str:
        # HTTP Basic with an empty user name and the API key as password, as Kuma's /metrics expects.
        auth = ("", self._api_key) if self._api_key else None
        response = self._get("/metrics", deadline, auth=auth)
        if response.status_code in (401, 403):
            hint = "refused the API key" if self._api_key else "needs an API key"
            raise SourceUnavailable(f"/metrics: HTTP {response.status_code}, Kuma {hint} (UPTIME_KUMA_API_KEY)")
        self._raise_for_status(response, "/metrics")
        return response.text

    def status_page_json(self, slug: str, deadline: float) -> bytes:
        response = self._get(f"/api/status-page/{slug}", deadline, headers=CACHE_BYPASS_HEADER)
        if response.status_code == 404:
            raise SourceUnavailable("status page not found (check UPTIME_KUMA_STATUS_PAGE)")
        self._raise_for_status(response, "status page API")
        return response.content

    def heartbeat_json(self, slug: str, deadline: float) -> bytes:
        response = self._get(f"/api/status-page/heartbeat/{slug}", deadline, headers=CACHE_BYPASS_HEADER)
        self._raise_for_status(response, "heartbeat API")
        return response.content

    def _get(
        self,
        path: str,
        deadline: float,
        *,
        auth: tuple[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SourceUnavailable(f"{path}: no time left in the run's budget")
        read_timeout = min(self._timeout, remaining)
        try:
            return self._session.get(
                self._base_url + path,
                auth=auth,
                headers=headers,
                timeout=(min(CONNECT_TIMEOUT_SECONDS, read_timeout), read_timeout),
                allow_redirects=False,
            )
        # Exception texts from requests carry the URL (host included): map them to words of our own.
        except requests.exceptions.Timeout:
            raise SourceUnavailable(f"{_short(path)}: timed out") from None
        except requests.exceptions.SSLError:
            raise SourceUnavailable(f"{_short(path)}: TLS error") from None
        except requests.exceptions.RetryError:
            raise SourceUnavailable(f"{_short(path)}: still failing after retries") from None
        except requests.exceptions.ConnectionError:
            raise SourceUnavailable(f"{_short(path)}: could not connect") from None
        except requests.exceptions.RequestException as error:
            raise SourceUnavailable(f"{_short(path)}: request failed ({type(error).__name__})") from None

    @staticmethod
    def _raise_for_status(response: requests.Response, what: str) -> None:
        if not 200 <= response.status_code < 300:
            raise SourceUnavailable(f"{what}: HTTP {response.status_code}")


def kuma_client_for(settings: Settings) -> KumaClient:
    return KumaClient(
        settings.kuma_base_url,
        settings.uptime_kuma_api_key.get_secret_value() if settings.uptime_kuma_api_key else None,
        timeout_seconds=settings.kuma_timeout_seconds,
        retries=settings.kuma_retries,
    )


def _short(path: str) -> str:
    return path if path == "/metrics" else "status page API"


def collect_kuma(client: KumaClient, slug: str | None, observed_at: datetime, deadline: float) -> KumaSnapshot:
    """Fetch /metrics (and the status page and heartbeats when a slug is set) concurrently, then combine."""
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="kuma") as pool:
        metrics_future = pool.submit(client.metrics_text, deadline)
        page_future = pool.submit(client.status_page_json, slug, deadline) if slug else None
        beats_future = pool.submit(client.heartbeat_json, slug, deadline) if slug else None
        try:
            metrics = parse_metrics(metrics_future.result())
            page = parse_status_page(page_future.result()) if page_future else None
            beats = parse_heartbeats(beats_future.result()) if beats_future else None
        except KumaFormatError as error:
            raise SourceUnavailable(f"malformed response: {error}") from None
    return build_snapshot(observed_at, metrics, page, beats)
