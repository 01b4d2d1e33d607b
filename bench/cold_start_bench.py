"""Cold start: the deployer's zip, unzipped, imported the way DigitalOcean's Python runtime imports it.

    python bench/cold_start_bench.py [--wheels .cache/wheels] [--zip publish.zip] [--runs 15]

Builds both functions with the deployer's library (scripts/package_function.py), or takes a zip already
built; unzips it; then, in fresh interpreters with no site-packages and no bytecode writing (-I -S -B, as a
new container on a read-only filesystem), activates the virtualenv and imports `__main__.py`, measuring the
CPU time of that import inside the child. Reports the zip, its base64 upload (what the 48 MiB limit counts),
and the import's CPU time: the minimum over the runs (the least disturbed by the machine) and the median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from package_function import MIB, ZIP_LIMIT_BYTES, base64_size, build_functions

CHILD = """
import json, sys, time
cpu, wall = time.process_time(), time.perf_counter()
artifact = sys.argv[1]
activate = artifact + "/virtualenv/bin/activate_this.py"
exec(open(activate).read(), {"__file__": activate})
sys.path.insert(0, artifact)
import importlib.util
spec = importlib.util.spec_from_file_location("function_main", artifact + "/__main__.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall, "modules": len(sys.modules)}))
"""


def measure_import(artifact: Path, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, "-I", "-S", "-B", "-c", CHILD, str(artifact)],
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin"},
        )
        samples.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    cpu = [sample["cpu"] for sample in samples]
    return {"cpu_min": min(cpu), "cpu_median": statistics.median(cpu), "modules": samples[0]["modules"]}


def report(name: str, zip_path: Path, runs: int, scratch: Path) -> None:
    size = zip_path.stat().st_size
    artifact = scratch / f"unzipped-{name}"
    zipfile.ZipFile(zip_path).extractall(artifact)
    figures = measure_import(artifact, runs)
    print(
        f"{name}: zip {size / MIB:.1f} MiB, upload {base64_size(size) / MIB:.1f} MiB of {ZIP_LIMIT_BYTES / MIB:.0f}; "
        f"import CPU {figures['cpu_min']:.3f} s (min of {runs}), median {figures['cpu_median']:.3f} s, "
        f"{figures['modules']:.0f} modules"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheels", type=Path)
    parser.add_argument("--zip", type=Path, help="measure this zip instead of building")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        if args.zip:
            report(args.zip.name, args.zip, args.runs, scratch)
            return 0
        for function, zip_path in sorted(build_functions(scratch, args.wheels).items()):
            report(f"status/{function}", zip_path, args.runs, scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
