"""Purging files from the Spaces CDN through the DigitalOcean API, so an override shows within seconds."""

from __future__ import annotations

import requests

PURGE_TIMEOUT_SECONDS = 5.0


class CdnPurgeError(Exception):
    """The purge did not happen; the message names no token."""


def purge_cdn(api_url: str, token: str, endpoint_id: str, files: list[str]) -> None:
    try:
        response = requests.delete(
            f"{api_url.rstrip('/')}/v2/cdn/endpoints/{endpoint_id}/cache",
            json={"files": files},
            headers={"Authorization": f"Bearer {token}"},
            timeout=PURGE_TIMEOUT_SECONDS,
        )
    except requests.exceptions.RequestException as error:
        raise CdnPurgeError(f"CDN purge request failed ({type(error).__name__})") from None
    if response.status_code not in (200, 202, 204):
        raise CdnPurgeError(f"CDN purge answered HTTP {response.status_code}")
