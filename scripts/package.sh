#!/usr/bin/env bash
# Builds folio's Debian package with Debian's own tools (dpkg-deb,
# dpkg-shlibdeps), checks it (desktop-file-validate, appstreamcli, lintian)
# and, with --test, installs it, runs it and takes it away again:
#
#   scripts/package.sh [--test]     → target/debian/folio_<version>_<arch>.deb
#
# The package holds the binary, the bundled documents under
# /usr/share/folio, the desktop entry, the icon (SVG and PNG 16–512), the
# AppStream metainfo, a man page made from `folio --help`, and the
# licences of folio and of the fonts built into it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/packages.sh
install_packages "${BUILD_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"

test_install=false
[ "${1:-}" = "--test" ] && test_install=true

cargo build --release --locked
version=$(target/release/folio --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
out=target/debian
stage=$out/folio_${version}_${arch}
rm -rf "$stage"
mkdir -p "$stage/DEBIAN"

# Files, owned by root, readable by all.
install -Dm755 target/release/folio "$stage/usr/bin/folio"
strip --strip-unneeded --remove-section=.comment "$stage/usr/bin/folio"
mkdir -p "$stage/usr/share/folio"
cp -r documents "$stage/usr/share/folio/documents"
install -Dm644 packaging/folio.desktop "$stage/usr/share/applications/folio.desktop"
install -Dm644 packaging/io.github.folioexplorer.Folio.metainfo.xml \
    "$stage/usr/share/metainfo/io.github.folioexplorer.Folio.metainfo.xml"
install -Dm644 assets/icon/folio.svg "$stage/usr/share/icons/hicolor/scalable/apps/folio.svg"
for size in 16 24 32 48 64 128 256 512; do
    dir="$stage/usr/share/icons/hicolor/${size}x${size}/apps"
    mkdir -p "$dir"
    rsvg-convert -w "$size" -h "$size" assets/icon/folio.svg -o "$dir/folio.png"
done
mkdir -p "$stage/usr/share/man/man1"
help2man --no-info --locale=C.UTF-8 --name="explore archival document corpora" \
    --version-string="$version" target/release/folio |
    gzip -9n >"$stage/usr/share/man/man1/folio.1.gz"
doc="$stage/usr/share/doc/folio"
install -Dm644 packaging/copyright "$doc/copyright"
for licence in assets/fonts/LICENSE-*.txt; do
    install -Dm644 "$licence" "$doc/fonts/$(basename "$licence")"
done
# The licences of the fonts egui builds in, from its crate's source.
egui_fonts=$(cargo metadata --format-version 1 --locked |
    grep -o '"manifest_path":"[^"]*epaint_default_fonts[^"]*"' | head -1 |
    sed 's/"manifest_path":"//; s/Cargo.toml"$/fonts/')
for licence in "$egui_fonts"/*.txt; do
    install -Dm644 "$licence" "$doc/fonts/egui/$(basename "$licence")"
done
{
    echo "folio ($version) unstable; urgency=medium"
    echo
    echo "  * Packaged release $version (see README.md and the metainfo)."
    echo
    echo " -- The folio developers <folio@users.noreply.github.com>  $(date -R -d "$(git log -1 --format=%cI 2>/dev/null || date -Iseconds)")"
} | gzip -9n >"$doc/changelog.gz"
find "$stage/usr" -type d -exec chmod 755 {} +
find "$stage/usr" -type f ! -path "*/usr/bin/*" -exec chmod 644 {} +

# The libraries the binary links, found by dpkg-shlibdeps (it reads a
# control file of its own), and those the window opens at run time.
shlibs_dir=$(mktemp -d)
mkdir -p "$shlibs_dir/debian"
printf 'Source: folio\n\nPackage: folio\nArchitecture: any\n' >"$shlibs_dir/debian/control"
linked=$(cd "$shlibs_dir" && dpkg-shlibdeps -O "$OLDPWD/$stage/usr/bin/folio" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
rm -rf "$shlibs_dir"
runtime="libxkbcommon-x11-0, libx11-xcb1, libxcursor1, libxi6, libxrandr2, libwayland-client0, libwayland-egl1, libegl1, libegl-mesa0, libgl1-mesa-dri, libdbus-1-3"
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: folio
Version: $version
Architecture: $arch
Maintainer: The folio developers <folio@users.noreply.github.com>
Installed-Size: $installed_size
Depends: ${linked:+$linked, }$runtime
Recommends: tesseract-ocr, tesseract-ocr-eng, tesseract-ocr-rus
Suggests: tesseract-ocr-uig, tesseract-ocr-chi-sim, tesseract-ocr-chi-tra, tesseract-ocr-deu, tesseract-ocr-frk, tesseract-ocr-ara, tesseract-ocr-ukr, tesseract-ocr-kaz
Section: science
Priority: optional
Homepage: https://github.com/folioexplorer/folio
Description: explorer for archival document corpora
 folio opens a folder of scanned archive pages with their transcriptions
 and translations, narrows it with filters for date, author and archive
 reference, searches the text in any language and script, and shows each
 document with its scan beside the original text and the translation.
 .
 A folder of reading-room photographs with no text becomes a described
 corpus: group, describe, OCR (with Tesseract), transcribe and translate
 it page by page, without changing the user's files. It reads TEI, ALTO,
 PAGE, hOCR, METS, IIIF manifests, PDF and images, and exports citations.
CONTROL

(cd "$stage" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)

deb="$out/folio_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1))"

desktop-file-validate "$stage/usr/share/applications/folio.desktop"
appstreamcli validate --no-net "$stage/usr/share/metainfo/io.github.folioexplorer.Folio.metainfo.xml"
# Errors fail the build; warnings are printed.
lintian_out=$(lintian --tag-display-limit 0 "$deb" 2>/dev/null || true)
[ -n "$lintian_out" ] && echo "$lintian_out"
if echo "$lintian_out" | grep -q '^E: '; then
    echo "lintian reports errors" >&2
    exit 1
fi
echo "desktop-file-validate, appstreamcli and lintian: no errors"

$test_install || exit 0

# Install, run, take away.
install_packages "${SCREENSHOT_PACKAGES[@]}"
# Its dependencies first (dpkg does not fetch them), then the package.
mapfile -t depends < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/ //g' | grep -v '^$')
install_packages "${depends[@]}"
dpkg -i "$deb"
files=$(dpkg -L folio | while read -r f; do [ -f "$f" ] && echo "$f"; done)
command -v folio
folio --version
folio check /usr/share/folio/documents
# The window, from the menu's command line, on the bundled documents.
screenshot="$out/installed.png"
scripts/screenshot.sh /usr/bin/folio /usr/share/folio/documents "$screenshot"
dpkg --purge folio >/dev/null
left=$(for f in $files; do [ -e "$f" ] && echo "$f"; done; [ -e /usr/share/folio ] && echo /usr/share/folio || true)
if [ -n "$left" ]; then
    echo "left behind after dpkg --purge:" >&2
    echo "$left" >&2
    exit 1
fi
echo "installed, ran (screenshot $screenshot) and purged: nothing of folio is left"
