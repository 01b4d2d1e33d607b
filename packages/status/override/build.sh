#!/bin/bash
# DigitalOcean's recipe (virtualenv, then pip into it), made exact. The deployer runs this in the function's
# folder, then zips what .include lists. Both functions share this file word for word (a test holds them equal).
# - The virtualenv is made for Python 3.11, the runtime's, whatever Python runs virtualenv: its activate_this.py
#   names lib/python3.11/site-packages, where the wheels go. A virtualenv made by another Python names another
#   folder, and the function could not import anything.
# - Wheels are chosen for the runtime (Linux x86_64, CPython 3.11), not for the machine that deploys.
# - botocore's models of the 400 AWS services other than S3 are left out (27 MB of its 29): the function only
#   speaks S3. The packaging test runs the unzipped artifact against an S3 server to prove it.
# - The library is copied from lib/platform_status into ./platform_status with only what the function needs
#   (its .py files, templates and static files): never a checkout's caches, stray .env or editor files.
# - Everything is compiled again (forced) to bytecode with checked hashes: valid after unzipping (which changes
#   every file's time) and never stale, so a cold start does not compile 650 modules again.
# - A variable the project.yml substitutes (OVERRIDE_WEB_SECURE) exported in the shell would win over .env
#   in the deployer: the build stops rather than deploy a value neither .env nor the command line knows.
# A local build needs virtualenv and python3.11 on PATH; `doctl serverless deploy --remote-build` needs neither.
set -euo pipefail
RUNTIME_PYTHON=python3.11
SITE_PACKAGES=virtualenv/lib/python3.11/site-packages

ENV_FILE=../../../.env
for name in OVERRIDE_WEB_SECURE; do
  if [ -n "${!name+set}" ]; then
    in_file=$(sed -n "s/^[[:space:]]*\(export[[:space:]]\+\)\?$name=//p" "$ENV_FILE" 2>/dev/null | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/")
    if [ "${!name}" != "$in_file" ]; then
      echo "build.sh: $name is set in your shell and differs from .env; the deployer would take the shell's" \
        "value, which neither the functions nor the command line know. Run \`unset $name\` (or put the value in" \
        ".env) and deploy again." >&2
      exit 1
    fi
  fi
done

if ! command -v virtualenv >/dev/null 2>&1; then
  echo "build.sh: virtualenv is not installed: pip install virtualenv (or deploy with --remote-build)" >&2
  exit 1
fi
if ! command -v "$RUNTIME_PYTHON" >/dev/null 2>&1; then
  echo "build.sh: python3.11, the runtime's Python, is not on PATH: install it (pyenv install 3.11," \
    "uv python install 3.11, or your system's python3.11 package), or deploy with --remote-build" >&2
  exit 1
fi

rm -rf virtualenv platform_status
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
# The library: sources, templates and static files only, whatever else the working tree holds.
(cd ../../../lib && find platform_status -name '.*' -prune -o -name __pycache__ -prune -o -type f \
  \( -name '*.py' -o -name '*.j2' -o -path 'platform_status/site/static/*' \) -print) |
  while IFS= read -r file; do
    mkdir -p "$(dirname "$file")"
    cp "../../../lib/$file" "$file"
  done
"$RUNTIME_PYTHON" -m compileall -q -f -j 0 --invalidation-mode checked-hash "$SITE_PACKAGES" platform_status >/dev/null
