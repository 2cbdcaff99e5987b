#!/usr/bin/env bash
# Measures the real window under a virtual X server: time from launch to
# the first interactive frame (corpus loaded and listed), and egui's CPU
# time per frame while scrolling the document list and while brushing the
# date timeline, driven by xdotool.
#
#   scripts/measure-ui.sh BINARY CORPUS [RUNS]
#
# Installs xvfb and xdotool when missing. Prints one line per measurement.
set -euo pipefail
binary=$1 corpus=$2 runs=${3:-1}
. "$(dirname "$0")/packages.sh"
install_packages "${RUNTIME_PACKAGES[@]}" "${MEASURE_PACKAGES[@]}"
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
work=$(mktemp -d)
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    [ -n "${KEEP_WORK:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
sleep 1
export DISPLAY=$display WAYLAND_DISPLAY=
now() { date +%s%3N; }

start_app() {
    # A fresh config folder: default window size and layout every run.
    XDG_CONFIG_HOME=$(mktemp -d -p "$work") FOLIO_TIMING=1 FOLIO_FRAME_LOG="$work/frames" \
        "$binary" "$corpus" 2>"$work/log" &
    app=$!
    for _ in $(seq 1 600); do
        grep -q "interactive after" "$work/log" 2>/dev/null && return 0
        kill -0 "$app" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
        sleep 0.1
    done
    echo "folio did not become interactive in 60 s" >&2
    exit 1
}

stop_app() {
    # No window manager: give the window the keyboard first.
    xdotool search --name '^folio$' windowfocus --sync %1 2>/dev/null || true
    xdotool key ctrl+q
    for _ in $(seq 1 100); do
        kill -0 "$app" 2>/dev/null || break
        sleep 0.1
    done
    app=""
}

for run in $(seq 1 "$runs"); do
    start_app
    grep -o "interactive after [0-9]* ms.*" "$work/log" | sed "s/^/run $run: /"
    if [ "$run" -lt "$runs" ]; then
        stop_app
    fi
done

sleep 1
# The list: the centre of the window (filters 250 pt wide, reader 640 pt).
xdotool mousemove 480 420
scroll_start=$(now)
xdotool click --repeat 400 --delay 15 5
xdotool click --repeat 400 --delay 15 4
scroll_end=$(now)
# The timeline: the top of the filter panel. Press, sweep right and back.
xdotool mousemove 40 110 mousedown 1
brush_start=$(now)
for _ in 1 2 3; do
    for x in $(seq 40 4 230) $(seq 230 -4 40); do
        xdotool mousemove "$x" 110
        sleep 0.012
    done
done
xdotool mouseup 1
brush_end=$(now)
sleep 0.5
stop_app

echo "phases: $scroll_start $scroll_end $brush_start $brush_end" >&2
python3 - "$work/frames" "$scroll_start" "$scroll_end" "$brush_start" "$brush_end" <<'PY'
import sys
path, s0, s1, b0, b1 = sys.argv[1], *map(int, sys.argv[2:])
frames = [tuple(map(float, l.split())) for l in open(path) if l.strip()]
def report(name, lo, hi):
    cpu = sorted(ms for at, ms in frames if lo <= at <= hi)
    times = [at for at, ms in frames if lo <= at <= hi]
    gaps = sorted(b - a for a, b in zip(times, times[1:]))
    if not cpu:
        print(f"{name}: no frames recorded"); return
    pick = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))]
    print(f"{name}: {len(cpu)} frames, egui CPU time per frame p50 {pick(cpu, .5):.2f} ms, "
          f"p95 {pick(cpu, .95):.2f} ms, max {cpu[-1]:.2f} ms; "
          f"frame interval p50 {pick(gaps, .5):.1f} ms, p95 {pick(gaps, .95):.1f} ms")
report("scrolling the list", s0, s1)
report("brushing the timeline", b0, b1)
PY
