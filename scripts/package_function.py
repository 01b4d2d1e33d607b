"""Build a function the way DigitalOcean's deployer does, to check what would be deployed.

Copies the project's `packages/` and `lib/` to a scratch folder, runs the function's build.sh there, zips
exactly what its .include lists (with `__main__.py` at the zip's root and `lib/platform_status` as
`platform_status/`), and reports the zip's size against the 48 MB limit.

    python scripts/package_function.py publish [--wheels .cache/wheels] [--out DIR]

With --wheels, build.sh installs from that folder only (offline), as the tests and CI do.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZIP_LIMIT_BYTES = 48 * 1024 * 1024
SKIPPED = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def _add(archive: zipfile.ZipFile, source: Path, arcname: str) -> None:
    if source.is_dir():
        for child in sorted(source.iterdir()):
            if child.name not in SKIPPED and child.suffix != ".pyc":
                _add(archive, child, f"{arcname}/{child.name}")
    else:
        archive.write(source, arcname)


def build_function(function: str, workdir: Path, wheels: Path | None = None) -> Path:
    """Build packages/status/<function> in `workdir`; returns the zip's path."""
    shutil.copytree(ROOT / "lib", workdir / "lib", ignore=shutil.ignore_patterns(*SKIPPED))
    shutil.copytree(
        ROOT / "packages",
        workdir / "packages",
        ignore=shutil.ignore_patterns(*SKIPPED, "virtualenv", "__deployer__.zip"),
    )
    function_dir = workdir / "packages" / "status" / function
    env = dict(os.environ)
    # The virtualenv and pip commands of the Python running this script, as a deployer's machine has them.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if wheels is not None:
        env |= {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels.resolve())}
    subprocess.run(["bash", "build.sh"], cwd=function_dir, env=env, check=True, capture_output=True)

    zip_path = workdir / f"{function}.zip"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for line in (function_dir / ".include").read_text().splitlines():
            entry = line.strip()
            if entry and not entry.startswith("#"):
                source = (function_dir / entry).resolve()
                _add(archive, source, source.name)
    return zip_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("function", choices=sorted(p.name for p in (ROOT / "packages" / "status").iterdir()))
    parser.add_argument("--wheels", type=Path)
    parser.add_argument("--out", type=Path, help="keep the zip here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        zip_path = build_function(args.function, Path(scratch), args.wheels)
        size = zip_path.stat().st_size
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            shutil.copy(zip_path, args.out / zip_path.name)
    print(f"{args.function}: {size / 1024 / 1024:.1f} MB zipped (limit {ZIP_LIMIT_BYTES / 1024 / 1024:.0f} MB)")
    return 0 if size < ZIP_LIMIT_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
