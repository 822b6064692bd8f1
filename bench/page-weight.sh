#!/usr/bin/env bash
# Bytes a phone downloads for the first visit to `/`: HTML, CSS, JS glue and WASM, raw and as
# brotli (what the server sends to a browser that accepts br). Needs a built site
# (.ci/build-site) and a running server: bench/page-weight.sh [http://127.0.0.1:3000]
set -euo pipefail
base="${1:-http://127.0.0.1:3000}"
cd "$(dirname "$0")/.."
manifest=target/site/asset-manifest.json
field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$manifest"; }

html_raw=$(curl -sf -H 'Accept-Encoding: identity' "$base/" | wc -c)
html_br=$(curl -sf -H 'Accept-Encoding: br' "$base/" | wc -c)
printf '%-10s %10s %10s\n' asset raw brotli
printf '%-10s %10d %10d\n' html "$html_raw" "$html_br"
total_br=$html_br
for kind in css js wasm; do
  href=$(field "${kind}_href")
  raw=$(curl -sf -H 'Accept-Encoding: identity' "$base$href" | wc -c)
  br=$(curl -sf -H 'Accept-Encoding: br' "$base$href" | wc -c)
  printf '%-10s %10d %10d\n' "$kind" "$raw" "$br"
  total_br=$((total_br + br))
done
css_br=$(curl -sf -H 'Accept-Encoding: br' "$base$(field css_href)" | wc -c)
printf 'first paint (HTML+CSS, brotli): %d bytes\n' $((html_br + css_br))
printf 'everything (HTML+CSS+JS+WASM, brotli): %d bytes\n' "$total_br"
