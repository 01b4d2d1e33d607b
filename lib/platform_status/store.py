"""Where objects are read and written: a Spaces bucket, or a local directory (the embedded default).

Both write whole objects only: an S3 PUT replaces an object atomically, and the local store writes a
temporary file and renames it, so a reader never sees a half-written status.json.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


PUBLIC_FILE_MODE, PRIVATE_FILE_MODE = 0o644, 0o600


class StoreError(Exception):
    """A read or write failed for a reason other than "no such object". The message names no secret."""


@dataclass(frozen=True)
class ObjectMeta:
    content_type: str
    cache_control: str = "no-store"
    public: bool = False


class ObjectStore(Protocol):
    def get(self, key: str) -> bytes | None:
        """The object's bytes, None when it does not exist; StoreError for any other failure."""

    def put(self, key: str, body: bytes, meta: ObjectMeta) -> None: ...

    def list_keys(self, prefix: str) -> list[str]:
        """Every key under the prefix, sorted."""

    def describe(self) -> str:
        """Where the objects go, for summaries and logs (no credentials)."""


class S3Store:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def get(self, key: str) -> bytes | None:
        try:
            return self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404"):
                return None
            raise StoreError(f"reading {key} failed ({code or 'error'})") from None
        except BotoCoreError as error:
            raise StoreError(f"reading {key} failed ({type(error).__name__})") from None

    def put(self, key: str, body: bytes, meta: ObjectMeta) -> None:
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=body,
                ContentType=meta.content_type,
                ACL="public-read" if meta.public else "private",
                CacheControl=meta.cache_control,
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            raise StoreError(f"writing {key} failed ({code})") from None
        except BotoCoreError as error:
            raise StoreError(f"writing {key} failed ({type(error).__name__})") from None

    def list_keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        try:
            for page in self._client.get_paginator("list_objects_v2").paginate(Bucket=self._bucket, Prefix=prefix):
                keys += [item["Key"] for item in page.get("Contents", [])]
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            raise StoreError(f"listing {prefix} failed ({code})") from None
        except BotoCoreError as error:
            raise StoreError(f"listing {prefix} failed ({type(error).__name__})") from None
        return sorted(keys)

    def describe(self) -> str:
        return f"bucket {self._bucket}"


class LocalStore:
    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, key: str) -> Path:
        path = (self._root / key).resolve()
        if not path.is_relative_to(self._root.resolve()):
            raise StoreError(f"key {key!r} leaves the store's directory")
        return path

    def get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StoreError(f"reading {key} failed ({error.strerror})") from None

    def put(self, key: str, body: bytes, meta: ObjectMeta) -> None:
        path = self._path(key)
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(body)
            # mkstemp makes 0600: a public file must be readable by the web server that serves the directory.
            os.chmod(temporary, PUBLIC_FILE_MODE if meta.public else PRIVATE_FILE_MODE)
            os.replace(temporary, path)
        except OSError as error:
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)
            raise StoreError(f"writing {key} failed ({error.strerror})") from None

    def list_keys(self, prefix: str) -> list[str]:
        root = self._root.resolve()
        if not root.is_dir():
            return []
        keys = (path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
        return sorted(key for key in keys if key.startswith(prefix) and not Path(key).name.startswith("."))

    def describe(self) -> str:
        return f"directory {self._root}"
