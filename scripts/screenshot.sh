#!/usr/bin/env bash
# Runs the real folio window under a virtual X server and saves a PNG of
# the screen: scripts/screenshot.sh BINARY CORPUS OUT.png [DOCUMENT-ID]
# Fails when the window does not come up or the picture is blank.
set -euo pipefail
binary=$1 corpus=$2 out=$3 document=${4:-}
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
sleep 1
# A private config folder, so the screenshot does not depend on saved state.
export XDG_CONFIG_HOME XDG_DATA_HOME
XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
args=("$corpus")
[ -n "$document" ] && args+=(--document "$document")
DISPLAY=$display WAYLAND_DISPLAY= "$binary" "${args[@]}" >"$out.log" 2>&1 &
app=$!
for _ in $(seq 1 30); do
    sleep 1
    if ! kill -0 "$app" 2>/dev/null; then
        echo "folio exited early; its output:" >&2
        cat "$out.log" >&2
        exit 1
    fi
    if DISPLAY=$display xwininfo -root -tree 2>/dev/null | grep -q '"folio"'; then
        break
    fi
done
sleep 4 # let the corpus load and a few frames render
DISPLAY=$display import -window root "$out"
colours=$(identify -format '%k' "$out")
if [ "$colours" -lt 16 ]; then
    echo "screenshot $out has only $colours colours: the window did not render" >&2
    cat "$out.log" >&2
    exit 1
fi
echo "saved $out ($colours colours)"
