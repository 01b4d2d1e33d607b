"""Read and build the project with DigitalOcean's own deployer library, the one `doctl serverless deploy` runs.

    python scripts/package_function.py [--wheels .cache/wheels] [--out DIR]

Copies project.yml, packages/ and lib/ to a scratch folder with a .env made from .env.example (placeholders
for the required secrets), lets the deployer (tools/deployer, pinned; `npm ci --prefix tools/deployer`) run
each build.sh and zip what .include lists, and reports each zip against the 48 MB limit, which DigitalOcean
counts on the base64-encoded upload. With --wheels, build.sh installs from that folder only (offline), as the
tests and CI do. Nothing is deployed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEPLOYER = ROOT / "tools" / "deployer" / "project.js"
MIB = 1024 * 1024
ZIP_LIMIT_BYTES = 48 * MIB  # counted on the base64 upload
SKIPPED = ("__pycache__", ".mypy_cache", ".pytest_cache", "virtualenv", "__deployer__.zip", ".built")
# Stand-ins for the values a user must fill in: enough for the deployer to read and build the project.
PLACEHOLDERS = {
    "UPTIME_KUMA_METRICS_URL": "https://uptime.placeholder.test",
    "UPTIME_KUMA_API_KEY": "placeholder-kuma-key",
    "SPACES_ENDPOINT": "https://nyc3.digitaloceanspaces.com",
    "SPACES_BUCKET": "placeholder-backups",
    "STATUS_BUCKET": "placeholder-status",
    "SPACES_ACCESS_KEY": "placeholder-access-key",
    "SPACES_SECRET_KEY": "placeholder-secret-key",
    "OVERRIDE_TOKEN": "placeholder-override-token-of-32-characters",
}


def base64_size(size: int) -> int:
    return 4 * ((size + 2) // 3)


def env_from_example(example: str, values: dict[str, str]) -> str:
    """.env.example with some lines filled in, the way the README tells a user to make .env."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"{name}={values[name]}" if name in values else match.group(0)

    return re.sub(r"^([A-Z0-9_]+)=.*$", fill, example, flags=re.MULTILINE)


def run_deployer(command: str, project_dir: Path, env_file: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """What the deployer made of the project: {"error", "unresolved", "functions": {"status/publish": ...}}."""
    if not (DEPLOYER.parent / "node_modules").is_dir():
        raise RuntimeError("the deployer is not installed: npm ci --prefix tools/deployer (make does it)")
    completed = subprocess.run(
        ["node", str(DEPLOYER), command, str(project_dir), str(env_file)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    lines = completed.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"the deployer printed nothing: {completed.stderr.strip()[-2000:]}")
    answer: dict[str, Any] = json.loads(lines[-1])
    answer["log"] = completed.stderr
    return answer


def copy_project(workdir: Path) -> Path:
    project = workdir / "project"
    project.mkdir(parents=True)
    shutil.copy(ROOT / "project.yml", project / "project.yml")
    for folder in ("lib", "packages"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns(*SKIPPED, "*.egg-info"))
    return project


def build_functions(
    workdir: Path, wheels: Path | None = None, prepare: Callable[[Path], None] | None = None
) -> dict[str, Path]:
    """Build every function in a copy of the project; returns {"publish": zip path, ...}. `prepare` may change
    the copy first (the tests make it look like a used checkout)."""
    project = copy_project(workdir)
    if prepare is not None:
        prepare(project)
    example = (ROOT / ".env.example").read_text()
    (project / ".env").write_text(env_from_example(example, PLACEHOLDERS))
    env = dict(os.environ)
    # virtualenv and python3.11 as the deployer's machine has them: this Python's, first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if wheels is not None:
        env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels.resolve())}
    answer = run_deployer("build", project, project / ".env", env)
    if answer.get("error"):
        raise RuntimeError(f"the deployer refused the project: {answer['error']}\n{answer['log'][-3000:]}")
    return {name.split("/")[-1]: Path(spec["zip"]) for name, spec in answer["functions"].items() if spec["zip"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheels", type=Path, help="install the function's wheels from this folder only")
    parser.add_argument("--out", type=Path, help="keep the zips here")
    args = parser.parse_args()
    worst = 0
    with tempfile.TemporaryDirectory() as scratch:
        try:
            zips = build_functions(Path(scratch), args.wheels)
        except RuntimeError as error:
            print(f"package_function: {error}", file=sys.stderr)
            return 1
        for function, zip_path in sorted(zips.items()):
            size = zip_path.stat().st_size
            upload = base64_size(size)
            worst = max(worst, upload)
            print(
                f"status/{function}: {size / MIB:.1f} MiB zipped, {upload / MIB:.1f} MiB as uploaded (base64), "
                f"limit {ZIP_LIMIT_BYTES / MIB:.0f} MiB"
            )
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                shutil.copy(zip_path, args.out / f"{function}.zip")
    return 0 if worst < ZIP_LIMIT_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
