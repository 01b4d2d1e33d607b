#!/bin/bash
# DigitalOcean's recipe (virtualenv, then pip into it), made exact. The deployer runs this in the function's
# folder, then zips what .include lists. Both functions share this file word for word (a test holds them equal).
# - The virtualenv is made for Python 3.11, the runtime's, whatever Python runs virtualenv: its activate_this.py
#   names lib/python3.11/site-packages, where the wheels go. A virtualenv made by another Python names another
#   folder, and the function could not import anything.
# - Wheels are chosen for the runtime (Linux x86_64, CPython 3.11), not for the machine that deploys.
# - botocore's models of the 400 AWS services other than S3 are left out (27 MB of its 29): the function only
#   speaks S3. The packaging test runs the unzipped artifact against an S3 server to prove it.
# - Everything is compiled to bytecode with checked hashes: valid after unzipping (which changes every file's
#   time) and never stale, so a cold start does not compile 650 modules again.
# A local build needs virtualenv and python3.11 on PATH; `doctl serverless deploy --remote-build` needs neither.
set -euo pipefail
RUNTIME_PYTHON=python3.11
SITE_PACKAGES=virtualenv/lib/python3.11/site-packages

if ! command -v virtualenv >/dev/null 2>&1; then
  echo "build.sh: virtualenv is not installed: pip install virtualenv (or deploy with --remote-build)" >&2
  exit 1
fi
if ! command -v "$RUNTIME_PYTHON" >/dev/null 2>&1; then
  echo "build.sh: python3.11, the runtime's Python, is not on PATH: install it (pyenv install 3.11," \
    "uv python install 3.11, or your system's python3.11 package), or deploy with --remote-build" >&2
  exit 1
fi

rm -rf virtualenv
virtualenv --quiet --without-pip --python "$RUNTIME_PYTHON" virtualenv
grep -q "lib/python3.11/site-packages" virtualenv/bin/activate_this.py || {
  echo "build.sh: virtualenv did not make a Python 3.11 environment" >&2
  exit 1
}
pip install --quiet --disable-pip-version-check --no-compile --no-deps --only-binary=:all: \
  --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp \
  -r requirements.txt --target "$SITE_PACKAGES"

find "$SITE_PACKAGES/botocore/data" "$SITE_PACKAGES/boto3/data" -mindepth 1 -maxdepth 1 -type d ! -name s3 \
  -exec rm -rf {} +
"$RUNTIME_PYTHON" -m compileall -q -j 0 --invalidation-mode checked-hash "$SITE_PACKAGES" ../../../lib/platform_status \
  >/dev/null
