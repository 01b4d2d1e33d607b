"""A local stand-in for Spaces: moto's S3 server on 127.0.0.1, with helpers to seed tenant backups.

moto stamps every object with the time it was written; `backdate` moves an object's LastModified into the
past (moto runs in this process), so a stale tenant can be seeded without waiting two days.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends
from moto.server import ThreadedMotoServer

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# Credentials moto accepts; they are not secrets and reach only 127.0.0.1.
STANDIN_ACCESS_KEY = "standin-access-key"
STANDIN_SECRET_KEY = "standin-secret-key"  # noqa: S105
STANDIN_REGION = "us-east-1"


class SpacesStandin:
    def __init__(self, port: int = 0) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)

    def start(self) -> SpacesStandin:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    @property
    def endpoint(self) -> str:
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def client(self) -> S3Client:
        client: S3Client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=STANDIN_REGION,
            aws_access_key_id=STANDIN_ACCESS_KEY,
            aws_secret_access_key=STANDIN_SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}),
        )
        return client

    def environment(self, backups_bucket: str, status_bucket: str) -> dict[str, str]:
        """The variables that point the publisher at this stand-in."""
        return {
            "SPACES_ACCESS_KEY": STANDIN_ACCESS_KEY,
            "SPACES_SECRET_KEY": STANDIN_SECRET_KEY,
            "SPACES_ENDPOINT": self.endpoint,
            "SPACES_REGION": STANDIN_REGION,
            "SPACES_BUCKET": backups_bucket,
            "STATUS_BUCKET": status_bucket,
        }


def backdate(bucket: str, key: str, when: datetime) -> None:
    fake_key = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets[bucket].keys[key]
    fake_key.last_modified = when.replace(tzinfo=None)  # moto keeps naive UTC


@dataclass(frozen=True)
class TenantPlan:
    name: str
    newest_age: timedelta  # age of the newest backup
    backups: int = 8  # one a night
    newest_empty: bool = False  # the newest object is a 0-byte file (a backup that failed to write)


def seed_backups(
    client: S3Client, bucket: str, tenants: list[TenantPlan], now: datetime, prefix: str = "backups/"
) -> int:
    """Write nightly backups per tenant, the newest `newest_age` old; returns the number of objects."""
    written = 0
    for tenant in tenants:
        for night in range(tenant.backups):
            when = now - tenant.newest_age - timedelta(days=night)
            key = f"{prefix}{tenant.name}/{when:%Y-%m-%d}.tar.gz"
            empty = tenant.newest_empty and night == 0
            client.put_object(Bucket=bucket, Key=key, Body=b"" if empty else b"backup-bytes")
            backdate(bucket, key, when)
            written += 1
    return written
