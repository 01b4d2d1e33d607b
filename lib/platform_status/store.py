"""Where objects are read and written: a Spaces bucket, or a local directory (the embedded default).

Both write whole objects only: an S3 PUT replaces an object atomically, and the local store writes a
temporary file and renames it, so a reader never sees a half-written status.json. A public object marked
`compress` is stored gzip-compressed with `Content-Encoding: gzip` in a bucket (Spaces and its CDN serve it
so, and every browser reads it); a local directory keeps it plain, since a plain web server would not say
how it is encoded.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
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
    compress: bool = False  # stored with Content-Encoding: gzip where the store serves it that way


class ObjectStore(Protocol):
    def get(self, key: str) -> bytes | None:
        """The object's bytes, None when it does not exist; StoreError for any other failure."""

    def put(self, key: str, body: bytes, meta: ObjectMeta) -> None: ...

    def list_keys(self, prefix: str, start_after: str | None = None) -> list[str]:
        """Every key under the prefix (after `start_after`, when given), sorted."""

    def delete(self, key: str) -> None:
        """Remove the object; no error when there is none."""

    def describe(self) -> str:
        """Where the objects go, for summaries and logs (no credentials)."""


class S3Store:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def get(self, key: str) -> bytes | None:
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=key)
            body = response["Body"].read()
            # Read back as written: what put() compressed for serving comes back plain.
            return gzip.decompress(body) if response.get("ContentEncoding") == "gzip" else body
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404"):
                return None
            raise StoreError(f"reading {key} failed ({code or 'error'})") from None
        except BotoCoreError as error:
            raise StoreError(f"reading {key} failed ({type(error).__name__})") from None

    def put(self, key: str, body: bytes, meta: ObjectMeta) -> None:
        extra = {"ContentEncoding": "gzip"} if meta.compress else {}
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=gzip.compress(body, 9, mtime=0) if meta.compress else body,
                ContentType=meta.content_type,
                ACL="public-read" if meta.public else "private",
                CacheControl=meta.cache_control,
                **extra,  # type: ignore[arg-type]
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            raise StoreError(f"writing {key} failed ({code})") from None
        except BotoCoreError as error:
            raise StoreError(f"writing {key} failed ({type(error).__name__})") from None

    def list_keys(self, prefix: str, start_after: str | None = None) -> list[str]:
        keys: list[str] = []
        paginator = self._client.get_paginator("list_objects_v2")
        try:
            if start_after:
                pages = paginator.paginate(Bucket=self._bucket, Prefix=prefix, StartAfter=start_after)
            else:
                pages = paginator.paginate(Bucket=self._bucket, Prefix=prefix)
            for page in pages:
                keys += [item["Key"] for item in page.get("Contents", [])]
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            raise StoreError(f"listing {prefix} failed ({code})") from None
        except BotoCoreError as error:
            raise StoreError(f"listing {prefix} failed ({type(error).__name__})") from None
        return sorted(keys)

    def delete(self, key: str) -> None:
        try:
            self._client.delete_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            raise StoreError(f"deleting {key} failed ({code})") from None
        except BotoCoreError as error:
            raise StoreError(f"deleting {key} failed ({type(error).__name__})") from None

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

    def list_keys(self, prefix: str, start_after: str | None = None) -> list[str]:
        root = self._root.resolve()
        if not root.is_dir():
            return []
        keys = (path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())
        return sorted(
            key
            for key in keys
            if key.startswith(prefix)
            and not Path(key).name.startswith(".")
            and (start_after is None or key > start_after)
        )

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as error:
            raise StoreError(f"deleting {key} failed ({error.strerror})") from None

    def describe(self) -> str:
        return f"directory {self._root}"


REQUESTS_AT_ONCE = 8  # S3 requests at once: enough to overlap their latency, few enough for one function


def _guarded(task: Callable[[], object]) -> BaseException | None:
    try:
        task()
    except Exception as error:  # reported to the caller, which decides what a failure means
        return error
    return None


class Requests:
    """Independent requests started at once; `wait()` gives each one's exception, or None, in order.
    Started before the caller's own work, they run while it works."""

    def __init__(self, tasks: Iterable[Callable[[], object]]) -> None:
        self._tasks = list(tasks)
        workers = max(1, min(REQUESTS_AT_ONCE, len(self._tasks)))
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="store")
        self._futures = [self._pool.submit(_guarded, task) for task in self._tasks]

    def wait(self) -> list[BaseException | None]:
        try:
            return [future.result() for future in self._futures]
        finally:
            self._pool.shutdown(wait=True)


def read_all(store: ObjectStore, keys: list[str]) -> list[bytes | None]:
    """These objects read at the same time, in order (None: no such object); the first failure is raised."""
    if len(keys) <= 1:
        return [store.get(key) for key in keys]
    with ThreadPoolExecutor(max_workers=min(REQUESTS_AT_ONCE, len(keys)), thread_name_prefix="read") as pool:
        return list(pool.map(store.get, keys))


def run_all(tasks: Iterable[Callable[[], object]]) -> list[BaseException | None]:
    """Run independent requests at the same time; each one's exception, or None, in the same order."""
    tasks = list(tasks)
    if len(tasks) <= 1:
        return [_guarded(task) for task in tasks]
    return Requests(tasks).wait()
