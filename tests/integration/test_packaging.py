"""The functions as deployed: built by DigitalOcean's own deployer library (build.sh, then the zip of what
.include lists), unzipped, and run alone the way the Python runtime runs them."""

from __future__ import annotations

import importlib.util
import json
import py_compile
import re
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from kuma_standin import KumaStandin
from package_function import ZIP_LIMIT_BYTES, base64_size, build_functions
from spaces_standin import SpacesStandin
from support import TEST_API_KEY

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
WHEELS = ROOT / ".cache" / "wheels"
BUILD_SH = ROOT / "packages" / "status" / "publish" / "build.sh"

# A fresh interpreter with no site-packages (-I -S) and no bytecode writing (-B, as on a read-only
# filesystem): only the artifact is importable, activated the way DigitalOcean's Python runtime does it.
RUNNER = """
import json, sys
artifact = sys.argv[1]
activate = artifact + "/virtualenv/bin/activate_this.py"
exec(open(activate).read(), {"__file__": activate})
sys.path.insert(0, artifact)
import importlib.util, os
spec = importlib.util.spec_from_file_location("function_main", artifact + "/__main__.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
class Context:
    def get_remaining_time_in_millis(self):
        return 30000
result = module.main({"dry_run": "true"}, Context())
import platform_status, pydantic
result["imported_from"] = [platform_status.__file__, pydantic.__file__]
shipped = [
    m for m in list(sys.modules.values())
    if (getattr(m, "__file__", None) or "").startswith(artifact) and m.__name__ != "function_main"
]
result["without_bytecode"] = [
    m.__name__ for m in shipped if m.__file__.endswith(".py") and not os.path.exists(m.__cached__ or "")
]
print("RESULT " + json.dumps(result))
"""


STALE_SOURCE = "raise RuntimeError('stale bytecode from an older checkout')\n"


def _as_a_used_checkout(project: Path) -> None:
    """What a working tree collects: timestamp bytecode newer than its sources (here of other code), a stray
    .env and tool caches inside the library."""
    library = project / "lib" / "platform_status"
    for source in (library / "run" / "publish.py", library / "config.py"):
        cache = source.parent / "__pycache__"
        cache.mkdir(exist_ok=True)
        stale = source.parent / f"_stale_{source.name}"
        stale.write_text(STALE_SOURCE)
        py_compile.compile(str(stale), cfile=str(cache / f"{source.stem}.cpython-311.pyc"))
        stale.unlink()
    (library / ".env").write_text("OVERRIDE_TOKEN=a-secret-that-must-stay-on-this-machine\n")
    (library / ".mypy_cache").mkdir()
    (library / ".mypy_cache" / "cache.json").write_text("{}")
    (library / "notes.txt~").write_text("an editor's backup")


@pytest.fixture(scope="module")
def zips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Built from a used checkout, not a pristine one: what an operator's working tree holds."""
    assert WHEELS.is_dir(), "the wheelhouse is missing: run `make wheels` (make test and .ci/run do)"
    return build_functions(tmp_path_factory.mktemp("build"), WHEELS, prepare=_as_a_used_checkout)


@pytest.mark.parametrize("function", ["publish", "override"])
def test_a_used_checkout_ships_only_the_library_with_fresh_checked_hash_bytecode(
    zips: dict[str, Path], function: str
) -> None:
    archive = zipfile.ZipFile(zips[function])
    library = sorted(name for name in archive.namelist() if name.startswith("platform_status/"))
    assert not [name for name in library if "/." in name or name.endswith("~")]  # no .env, caches, backups
    sources = [name for name in library if name.endswith(".py")]
    assert len(sources) > 50
    for source in sources:
        folder, _, file = source.rpartition("/")
        cached = f"{folder}/__pycache__/{file[:-3]}.cpython-311.pyc"
        assert cached in library, f"{source} has no bytecode"
        pyc = archive.read(cached)
        assert int.from_bytes(pyc[4:8], "little") == 0b11, f"{cached} is not checked-hash bytecode"
        assert pyc[8:16] == importlib.util.source_hash(archive.read(source)), f"{cached} is stale"
    assert not [name for name in library if name.endswith(".pyc") and "__pycache__" not in name]


@pytest.mark.parametrize("function", ["publish", "override"])
def test_the_deployers_zip_is_under_the_limit_and_holds_only_the_function(zips: dict[str, Path], function: str) -> None:
    zip_path = zips[function]
    assert base64_size(zip_path.stat().st_size) < ZIP_LIMIT_BYTES
    names = zipfile.ZipFile(zip_path).namelist()
    assert "__main__.py" in names
    assert "virtualenv/bin/activate_this.py" in names
    assert "platform_status/run/publish.py" in names
    assert any(name.startswith("virtualenv/lib/python3.11/site-packages/pydantic_core/") for name in names)
    # Bytecode for the runtime's Python travels with the sources, so a cold start compiles nothing.
    assert "platform_status/run/__pycache__/publish.cpython-311.pyc" in names
    # Of botocore's service models only S3's is shipped.
    data = "virtualenv/lib/python3.11/site-packages/botocore/data/"
    models = {name.removeprefix(data).split("/")[0] for name in names if name.startswith(data) and name.count("/") > 7}
    assert models == {"s3"}
    assert not any(name.startswith(("tests/", "scripts/", "tools/", ".env", "web/")) for name in names)


def test_the_unzipped_artifact_runs_main_alone_without_compiling(
    zips: dict[str, Path], tmp_path: Path, spaces_server: SpacesStandin, kuma_server: KumaStandin
) -> None:
    unpacked = tmp_path / "artifact"
    zipfile.ZipFile(zips["publish"]).extractall(unpacked)
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
        [sys.executable, "-I", "-S", "-B", "-c", RUNNER, str(unpacked)],
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
    assert result["without_bytecode"] == []


def test_the_readme_states_the_size_the_build_has(zips: dict[str, Path]) -> None:
    """The README's figure comes from `make package`, and stays true."""
    readme = (ROOT / "README.md").read_text()
    stated = re.search(r"status/publish: ([0-9.]+) MiB zipped, ([0-9.]+) MiB as uploaded", readme)
    assert stated, "the README quotes `make package`'s line for status/publish"
    size = zips["publish"].stat().st_size
    assert abs(float(stated.group(1)) - size / 2**20) <= 0.5
    assert abs(float(stated.group(2)) - base64_size(size) / 2**20) <= 0.7


def test_both_functions_build_the_same_way() -> None:
    assert BUILD_SH.read_bytes() == (ROOT / "packages" / "status" / "override" / "build.sh").read_bytes()


def _build_sh_with(tmp_path: Path, programs: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """build.sh in a copy of the function's folder, with only these programs on PATH."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name, script in programs.items():
        (tools / name).write_text(f"#!/bin/sh\n{script}\n")
        (tools / name).chmod(0o755)
    folder = tmp_path / "function"
    folder.mkdir()
    (folder / "build.sh").write_bytes(BUILD_SH.read_bytes())
    return subprocess.run(
        ["/bin/bash", "build.sh"], cwd=folder, env={"PATH": str(tools)}, capture_output=True, text=True, check=False
    )


def test_a_local_build_without_virtualenv_says_what_to_install(tmp_path: Path) -> None:
    completed = _build_sh_with(tmp_path, {"python3.11": "exit 0"})
    assert completed.returncode != 0
    assert "pip install virtualenv" in completed.stderr
    assert not (tmp_path / "function" / "virtualenv").exists()


def test_a_local_build_without_python_3_11_says_so_instead_of_building_for_another_python(tmp_path: Path) -> None:
    completed = _build_sh_with(tmp_path, {"virtualenv": "exit 0"})
    assert completed.returncode != 0
    assert "python3.11" in completed.stderr
    assert "--remote-build" in completed.stderr
