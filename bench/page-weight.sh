#!/usr/bin/env bash
# Bytes a phone downloads on a first visit to each page: HTML, CSS, and the JS glue and WASM
# when the page loads them (a page with islands does; since the islands issue, a page without
# any loads neither). Raw and brotli (what the server sends to a browser that accepts br).
# Needs a running server of a built site (.ci/build-site; `serve --demo` for the sample
# warnings): bench/page-weight.sh [http://127.0.0.1:3000] [site root, default target/site]
set -euo pipefail
base="${1:-http://127.0.0.1:3000}"
cd "$(dirname "$0")/.."
site="${2:-target/site}"
manifest="$site/asset-manifest.json"
field() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$manifest"; }
size() { curl -sf -H "Accept-Encoding: $2" "$base$1" | wc -c; }

# The first warning of the home page stands for /alerts/{id}.
alert=$(curl -sf "$base/" | grep -o 'href="/alerts/[0-9]*"' | head -1 | sed 's/href="\(.*\)"/\1/')
css=$(field css_href) js=$(field js_href) wasm=$(field wasm_href)
css_br=$(size "$css" br) js_br=$(size "$js" br) wasm_br=$(size "$wasm" br)
printf '%-14s %9s %9s %9s %9s %11s %11s\n' page 'html br' 'css br' 'js br' 'wasm br' 'first paint' 'everything'
for path in / "${alert:-/alerts/1}" /settings /shelters /drills /learn; do
  html=$(curl -sf -H 'Accept-Encoding: identity' "$base$path" || true)
  html_br=$(size "$path" br || true)
  # The islands loader fetches the bundle only for a page with an island; the earlier loader
  # always did.
  if grep -q '<leptos-island' <<<"$html" || ! grep -q "querySelectorAll('leptos-island')" <<<"$html"; then
    page_js=$js_br page_wasm=$wasm_br
  else
    page_js=0 page_wasm=0
  fi
  printf '%-14s %9d %9d %9d %9d %11d %11d\n' "$path" "$html_br" "$css_br" "$page_js" "$page_wasm" \
    $((html_br + css_br)) $((html_br + css_br + page_js + page_wasm))
done
printf 'raw: css %d, js %d, wasm %d bytes\n' "$(size "$css" identity)" "$(size "$js" identity)" "$(size "$wasm" identity)"
