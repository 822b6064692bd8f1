#!/usr/bin/env bash
# Lighthouse (mobile, its default: simulated slow 4G and a 4x slower CPU) on the pages the
# islands issue names, in Debian's Chromium. Installs lighthouse@12.2.3 (the last that runs on
# Node 20) into target/lighthouse once. Needs a running server:
#   bench/lighthouse.sh [http://127.0.0.1:3000] [path…]
set -euo pipefail
base="${1:-http://127.0.0.1:3000}"
shift || true
paths=("$@")
[ "${#paths[@]}" -gt 0 ] || paths=(/ /alerts/2 /settings)
cd "$(dirname "$0")/.."
tool=target/lighthouse
if [ ! -x "$tool/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$tool"
  (cd "$tool" && npm init -y >/dev/null && npm install lighthouse@12.2.3 --no-audit --no-fund --loglevel=error)
fi
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for path in "${paths[@]}"; do
  out="$tool/report$(tr / _ <<<"$path").json"
  CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" "$tool/node_modules/.bin/lighthouse" "$base$path" --quiet \
    --only-categories=performance,accessibility,seo,best-practices --chrome-flags="$flags" \
    --output=json --output-path="$out"
  python3 - "$path" "$out" <<'PY'
import json, sys
report = json.load(open(sys.argv[2]))
scores = " ".join(f"{k} {round(v['score'] * 100)}" for k, v in report["categories"].items())
audit = lambda name: report["audits"][name]["numericValue"]
print(f"{sys.argv[1]:<14} {scores}; CLS {audit('cumulative-layout-shift'):.3f}, LCP {audit('largest-contentful-paint'):.0f} ms, TBT {audit('total-blocking-time'):.0f} ms")
PY
done
