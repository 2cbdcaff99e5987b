#!/usr/bin/env bash
# Sets up a fresh Debian machine (Rust installed) and opens folio on the
# bundled corpus, or on the folder given as argument.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/packages.sh
install_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" "${OCR_PACKAGES[@]}"
cargo build --release
exec target/release/folio "${@:-documents}"
