# Sourced by the other scripts: installs Debian packages that are missing.
# Runs apt-get as root, or through sudo.

install_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "folio: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What the window needs at run time (X11 or Wayland, OpenGL/Vulkan through
# Mesa; libdbus for the desktop's folder dialog through the XDG portal).
RUNTIME_PACKAGES=(libdbus-1-3 libgl1-mesa-dri libegl1 libegl-mesa0 libxkbcommon-x11-0 libx11-xcb1 libxcursor1 libxi6 libxrandr2 libfontconfig1)
BUILD_PACKAGES=(build-essential pkg-config)
SCREENSHOT_PACKAGES=(xvfb xauth x11-utils imagemagick)
MEASURE_PACKAGES=(xvfb xauth xdotool)
# Machine OCR (folio ocr): Tesseract 5 and the models of folio's corpora.
OCR_PACKAGES=(tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-uig tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-deu tesseract-ocr-frk tesseract-ocr-ara tesseract-ocr-ukr tesseract-ocr-kaz)
# The CSL-JSON schema check of the export test (scripts/csl-schema.sh), and
# the citation software that reads folio's exports back in it (pandoc's
# citeproc and BibTeX reader, biber, bibtexparser).
TEST_PACKAGES=(python3 python3-jsonschema python3-pip pandoc biber python3-bibtexparser)
# Building the Debian package (scripts/package.sh): icons from the SVG, the
# man page from --help, the package's dependencies, and its checks.
PACKAGE_PACKAGES=(librsvg2-bin help2man dpkg-dev desktop-file-utils appstream lintian)
