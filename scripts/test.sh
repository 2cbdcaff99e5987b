#!/usr/bin/env bash
# Sets up a fresh Debian machine (Rust installed) and runs every check:
# formatting, clippy, all tests (unit, integration on ../shared, property,
# egui_kittest UI), then the real window under Xvfb with screenshots.
set -euo pipefail
# A one-time build: incremental state would only double the disk it takes.
export CARGO_INCREMENTAL=0
cd "$(dirname "$0")/.."
. scripts/packages.sh
install_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}" "${SCREENSHOT_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${OCR_PACKAGES[@]}"
scripts/csl-schema.sh
rustup component add rustfmt clippy >/dev/null 2>&1 || true

if [ ! -d ../shared ]; then
    echo "folio: ../shared is not beside the project: the tests that read its seeds, samples and conformance files skip themselves (each prints 'skipped: …' under --nocapture)"
fi
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked
cargo build --locked --bin folio

mkdir -p target/screenshots
scripts/screenshot.sh target/debug/folio documents target/screenshots/documents.png 1945-04-22-alihan-tore-to-stalin
if [ -d ../shared/samples ]; then
    scripts/screenshot.sh target/debug/folio ../shared/samples target/screenshots/samples.png BIN
    echo "screenshots: target/screenshots/documents.png target/screenshots/samples.png"
else
    echo "screenshots: target/screenshots/documents.png (skipped samples.png: ../shared/samples is not beside the project)"
fi
