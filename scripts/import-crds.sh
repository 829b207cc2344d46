#!/usr/bin/env bash
# Regenerates src/imports from the CRDs in test/crds. `cdk8s import` takes one
# file per call and one call per API group (a second call overwrites the
# group's module), so the files of a group are concatenated first.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for group in monitoring.coreos.com cert-manager.io; do
  for f in test/crds/"$group"_*.yaml; do cat "$f"; echo '---'; done > "$tmp/$group.yaml"
  npx cdk8s import "$tmp/$group.yaml" --language typescript --output src/imports
done
