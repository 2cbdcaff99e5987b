#!/usr/bin/env bash
# Measures folio's OCR: character accuracy per language on generated pages
# with known lines (Russian, English, Uyghur in Arabic script, Traditional
# Chinese, German in a blackletter face), photographed-looking (skewed,
# noisy, blurred, JPEG); speed against the tesseract program on a
# 3000×4000 page (folio bench-ocr); and the window's frame times while it
# reads pages, under a virtual X server driven by xdotool.
#
#   scripts/measure-ocr.sh BINARY
#
# Pages are drawn by Pango (which shapes Arabic script) with folio's
# bundled fonts (DejaVu Sans, Noto Sans Arabic, Droid Sans Fallback) and
# Debian's Blankenburg, a blackletter face, for the Fraktur-like page.
# Installs what it needs when missing. Prints one line per measurement.
set -euo pipefail
binary=$(realpath "$1")
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/packages.sh"
install_packages "${OCR_PACKAGES[@]}" "${MEASURE_PACKAGES[@]}" imagemagick pango1.0-tools fonts-blankenburg python3
work=$(mktemp -d)
cleanup() {
    [ -n "${app:-}" ] && kill "$app" 2>/dev/null || true
    [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
    [ -n "${KEEP_WORK:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

# The bundled fonts first, then the system's.
cat > "$work/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>$here/assets/fonts</dir><include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>
EOF
export FONTCONFIG_FILE="$work/fonts.conf"

mkdir -p "$work/corpus" "$work/truth"
# id | folio language | font | lines (| between lines)
pages=(
    "ru|ru|DejaVu Sans 34|Уважаемый товарищ Сталин!|Народы Восточного Туркестана надеются|на Вашу помощь и поддержку в борьбе|за свободу и независимость.|Председатель правительства Алихан Тюря|г. Кульджа, 22 апреля 1945 года"
    "en|en|DejaVu Sans 34|Dear Marshal Stalin,|The peoples of East Turkestan hope|for your help and support in their|struggle for freedom and independence.|Chairman of the Government, Alihan Tore|Kuldja, 22 April 1945"
    "ug|ug|Noto Sans Arabic 36|ھۆرمەتلىك يولداش ستالىن|شەرقىي تۈركىستان خەلقى|سىزنىڭ ياردىمىڭىزگە ئۈمىد قىلىدۇ|غۇلجا شەھىرىدىن سالام|ئەخمەتجان قاسىمى"
    "zh|zh-Hant|Droid Sans Fallback 36|毛澤東主席致斯大林電報|新疆問題應當和平解決|伊寧方面的代表將來北平參加會議|請轉告阿合買提江同志|一九四九年八月十八日於北平"
    "de|de-Latf|Blankenburg_UNZ1A 40|Beantwortung der Frage: Was ist Aufklärung?|Aufklärung ist der Ausgang des Menschen|aus seiner selbstverschuldeten Unmündigkeit.|Unmündigkeit ist das Unvermögen, sich seines|Verstandes ohne Leitung eines anderen zu bedienen."
)
for spec in "${pages[@]}"; do
    IFS='|' read -r id lang font rest <<<"$spec"
    printf '%s\n' "${rest//|/$'\n'}" > "$work/truth/$id.txt"
    # A clean page, then a photograph of it: turned 2°, yellowed paper,
    # sensor noise, out of focus, saved as JPEG.
    pango-view -q --font="$font" --margin=60 --width=1600 --hinting=none --antialias=gray \
        --pixels -o "$work/$id-clean.png" "$work/truth/$id.txt"
    convert "$work/$id-clean.png" -bordercolor white -border 120 -background white -rotate 2 \
        -fill '#d8cfb8' -colorize 25 -attenuate 0.9 +noise Gaussian -blur 0x1.1 \
        -colorspace Gray -quality 80 "$work/corpus/$id.jpg"
    identify -format '%w %h\n' "$work/corpus/$id.jpg" > "$work/truth/$id.size"
    "$binary" describe "$work/corpus" "$id" --lang "$lang" >/dev/null
done
cp -r "$work/corpus" "$work/window"

# Accuracy: every page read by folio ocr, compared with its known lines.
"$binary" ocr "$work/corpus" --jobs 2 --json > "$work/ocr.jsonl"
for spec in "${pages[@]}"; do
    id=${spec%%|*}
    "$binary" show "$work/corpus" "$id" --json > "$work/$id.json"
done
python3 - "$work" <<'PY'
import json, sys, os
work = sys.argv[1]
def distance(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]
names = {"ru": "Russian", "en": "English", "ug": "Uyghur (Arabic script)",
         "zh": "Chinese (Traditional)", "de": "German, blackletter (frk)"}
for id, name in names.items():
    truth = "".join(open(f"{work}/truth/{id}.txt").read().split())
    shown = json.load(open(f"{work}/{id}.json"))
    layer = shown["layers"][0]
    got = "".join(layer["text"].split())
    accuracy = 1 - distance(truth, got) / len(truth)
    # Every line region lies inside its page.
    w, h = map(int, open(f"{work}/truth/{id}.size").read().split())
    outside = sum(1 for page in shown["pages"] for r in page.get("regions", [])
                  for x, y in r["polygon"] if not (0 <= x <= w and 0 <= y <= h))
    print(f"accuracy {name}: {accuracy * 100:.1f} % of {len(truth)} characters "
          f"(origin {layer['origin']}, confidence {layer.get('confidence')} %, "
          f"{outside} region points outside the page)")
PY

# Speed: a photographed 3000×4000 page full of Russian text (48 lines),
# four copies, two at a time, against the tesseract program.
for _ in 1 2 3 4 5 6 7 8; do cat "$work/truth/ru.txt"; done > "$work/full.txt"
pango-view -q --font="DejaVu Sans 56" --margin=100 --width=2800 --pixels \
    -o "$work/full.png" "$work/full.txt"
convert "$work/full.png" -background white -gravity center -extent 3000x4000 -rotate 1 \
    -gravity center -crop 3000x4000+0+0 +repage -fill '#d8cfb8' -colorize 25 \
    -attenuate 0.9 +noise Gaussian -blur 0x1.1 -colorspace Gray -quality 85 "$work/big.jpg"
for n in 1 2 3 4; do cp "$work/big.jpg" "$work/big-$n.jpg"; done
"$binary" bench-ocr "$work"/big-[1-4].jpg --lang rus --jobs 2

# The window while it reads: the 4 large pages and the 5 others, every
# document without text through Describe › Read the text of every
# document… (positions at the default window size, 1280×800), the list
# scrolled meanwhile; egui's CPU time per frame until the reading ends.
for n in 1 2 3 4; do cp "$work/big.jpg" "$work/window/big-$n.jpg"; done
for n in 1 2 3 4; do "$binary" describe "$work/window" "big-$n" --lang ru >/dev/null; done
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display WAYLAND_DISPLAY=
XDG_CONFIG_HOME=$(mktemp -d -p "$work") FOLIO_TIMING=1 FOLIO_FRAME_LOG="$work/frames" \
    "$binary" "$work/window" 2>"$work/log" &
app=$!
for _ in $(seq 1 600); do
    grep -q "interactive after" "$work/log" 2>/dev/null && break
    sleep 0.1
done
sleep 1
now() { date +%s%3N; }
xdotool mousemove 107 12 click 1
sleep 0.5
start=$(now)
xdotool mousemove 268 208 click 1
# Scroll the list for 15 s while the pages are read, then leave the
# window alone until every page is kept.
xdotool mousemove 480 300
while [ $(($(now) - start)) -lt 15000 ]; do
    xdotool click 5 click 5 click 4 click 4
    sleep 0.05
done
scrolled=$(now)
for _ in $(seq 1 1200); do
    [ "$(ls "$work/window/.folio/ocr" 2>/dev/null | grep -c '\.hocr$')" -ge 9 ] && break
    sleep 0.1
done
end=$(now)
sleep 1
# Frame times are written when the window closes (Ctrl+Q).
xdotool search --name '^folio$' windowfocus --sync %1 2>/dev/null || true
xdotool key ctrl+q
for _ in $(seq 1 100); do
    kill -0 "$app" 2>/dev/null || break
    sleep 0.1
done
app=""
read_pages=$(ls "$work/window/.folio/ocr" 2>/dev/null | grep -c '\.hocr$' || true)
python3 - "$work/frames" "$start" "$scrolled" "$end" "$read_pages" <<'PY'
import sys
path, start, scrolled, end, pages = sys.argv[1], *map(int, sys.argv[2:5]), sys.argv[5]
frames = [tuple(map(float, l.split())) for l in open(path) if l.strip()]
cpu = sorted(ms for at, ms in frames if start <= at <= end)
if not cpu:
    sys.exit("window: no frames recorded while reading")
pick = lambda q: cpu[min(len(cpu) - 1, int(q * len(cpu)))]
over = sum(1 for ms in cpu if ms > 16)
print(f"window reading {pages} pages in {(end - start) / 1000:.1f} s (the list scrolled the first "
      f"{(scrolled - start) / 1000:.0f} s): {len(cpu)} frames, "
      f"egui CPU time per frame p50 {pick(.5):.2f} ms, p95 {pick(.95):.2f} ms, "
      f"max {cpu[-1]:.2f} ms, {over} over 16 ms")
PY
