"""The boto3 client for DigitalOcean Spaces (or any S3 API, such as moto in tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
import botocore.session
from botocore.config import Config

from platform_status.config import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def make_s3_client(settings: Settings) -> S3Client:
    if not settings.spaces_configured or not settings.spaces_access_key or not settings.spaces_secret_key:
        raise ValueError("Spaces is not configured")
    config = Config(
        # boto3 1.36+ sends CRC checksums by default and some Spaces endpoints rejected them: only when required.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=5,
        read_timeout=15,
        retries={"max_attempts": 3, "mode": "standard"},
        s3={"addressing_style": "virtual" if "digitaloceanspaces.com" in str(settings.spaces_endpoint) else "path"},
    )
    # Timestamps stay the strings the API sends: botocore would parse each listed object's LastModified with
    # dateutil, most of a large listing's CPU; sources/backups.py parses the few it needs.
    session = botocore.session.get_session()
    session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
    client: S3Client = boto3.Session(botocore_session=session).client(
        "s3",
        region_name=settings.spaces_region_name,
        endpoint_url=str(settings.spaces_endpoint).rstrip("/"),
        aws_access_key_id=settings.spaces_access_key.get_secret_value(),
        aws_secret_access_key=settings.spaces_secret_key.get_secret_value(),
        config=config,
    )
    return client
