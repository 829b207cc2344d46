#!/usr/bin/env bash
# Builds the Python package (wheel and sdist) into dist/python and checks it.
#
# `jsii-pacmak --target python` cannot run here: it installs setuptools, build and twine from
# PyPI into a fresh virtual environment, and these machines reach only the npm registry and
# Debian's packages. So jsii-pacmak generates the package's code (--code-only, with rosetta's
# tablet so that docstrings and the package's README are in Python), and Debian's own build
# tools package it: python3-build (without isolation, since its isolated environment would
# come from PyPI too), python3-setuptools, python3-wheel and twine. `.ci/run` installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=/usr/bin/python3
if ! "$PYTHON" -c 'import build, setuptools, wheel' 2>/dev/null || ! command -v twine >/dev/null; then
  echo "python-wheel: needs Debian's python3-build python3-setuptools python3-wheel twine" \
       "(apt-get install -y --no-install-recommends python3-build python3-setuptools python3-wheel twine python3-venv)" >&2
  exit 1
fi

rm -rf .jsii-pacmak-check dist/python
npx jsii-pacmak --code-only --targets python --rosetta-tablet .jsii.tabl.json --outdir .jsii-pacmak-check
# pacmak's pyproject.toml asks for setuptools~=75.3 and build~=1.5 (PyPI's); Debian 12 has 66 and 0.9,
# which build this package's plain setup.py: --skip-dependency-check lets them.
"$PYTHON" -m build --no-isolation --skip-dependency-check --outdir dist/python .jsii-pacmak-check/python
twine check --strict dist/python/*
"$PYTHON" scripts/check-python-wheel.py dist/python .jsii
