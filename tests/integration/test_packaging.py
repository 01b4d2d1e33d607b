"""The function as deployed: build.sh in a copy, zip what .include lists, run the unzipped artifact alone."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from kuma_standin import KumaStandin
from package_function import ZIP_LIMIT_BYTES, build_function
from spaces_standin import SpacesStandin
from support import TEST_API_KEY

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
WHEELS = ROOT / ".cache" / "wheels"

# Run in a fresh interpreter with no site-packages (-I -S): only the artifact is importable, and the
# virtualenv is activated the way DigitalOcean's Python runtime does it.
RUNNER = """
import json, sys
artifact = sys.argv[1]
activate = artifact + "/virtualenv/bin/activate_this.py"
exec(open(activate).read(), {"__file__": activate})
sys.path.insert(0, artifact)
import importlib.util
spec = importlib.util.spec_from_file_location("function_main", artifact + "/__main__.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
class Context:
    def get_remaining_time_in_millis(self):
        return 30000
result = module.main({"dry_run": "true"}, Context())
import platform_status, pydantic
result["imported_from"] = [platform_status.__file__, pydantic.__file__]
print("RESULT " + json.dumps(result))
"""


def build(function: str, workdir: Path) -> Path:
    assert WHEELS.is_dir(), "the wheelhouse is missing: run `make wheels` (make test and .ci/run do)"
    return build_function(function, workdir, WHEELS)


@pytest.fixture(scope="module")
def artifact(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build("publish", tmp_path_factory.mktemp("build"))


@pytest.mark.parametrize("function", ["publish", "override"])
def test_zip_is_under_the_48_mb_limit_and_has_main_at_its_root(function: str, tmp_path: Path) -> None:
    zip_path = build(function, tmp_path)
    assert zip_path.stat().st_size < ZIP_LIMIT_BYTES
    names = zipfile.ZipFile(zip_path).namelist()
    assert "__main__.py" in names
    assert "virtualenv/bin/activate_this.py" in names
    assert "platform_status/publish.py" in names
    assert not any("__pycache__" in name for name in names)
    assert not any(name.startswith(("tests/", "scripts/", ".env")) for name in names)


def test_unzipped_artifact_runs_main_alone(
    artifact: Path, tmp_path: Path, spaces_server: SpacesStandin, kuma_server: KumaStandin
) -> None:
    unpacked = tmp_path / "artifact"
    zipfile.ZipFile(artifact).extractall(unpacked)
    suffix = uuid.uuid4().hex[:8]
    for bucket in (f"backups-{suffix}", f"status-{suffix}"):
        spaces_server.client().create_bucket(Bucket=bucket)
    env = {
        "PATH": "/usr/bin:/bin",
        "UPTIME_KUMA_METRICS_URL": kuma_server.url,
        "UPTIME_KUMA_API_KEY": TEST_API_KEY,
        "UPTIME_KUMA_STATUS_PAGE": "test-status",
        **spaces_server.environment(f"backups-{suffix}", f"status-{suffix}"),
    }
    completed = subprocess.run(
        [sys.executable, "-I", "-S", "-c", RUNNER, str(unpacked)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert result["document"]["platform_status"] == "outage"
    assert result["sources"]["uptime_kuma"]["status"] == "ok"
    assert all(path.startswith(str(unpacked)) for path in result["imported_from"])
