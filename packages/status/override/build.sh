#!/bin/bash
# DigitalOcean's recipe: the deployer runs this in the function's folder, then zips what .include lists.
# Wheels are chosen for the runtime (Linux x86_64, CPython 3.11), not for the machine that deploys, so a
# deploy from a laptop does not ship a macOS build of pydantic-core.
set -e
rm -rf virtualenv
virtualenv --without-pip virtualenv
pip install --no-compile --no-deps --only-binary=:all: \
  --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp \
  -r requirements.txt --target virtualenv/lib/python3.11/site-packages
