#!/usr/bin/env bash
# Bytes a phone downloads on a first visit to each page: HTML, CSS, and the JS glue and WASM of
# the islands bundle the page names (a page without islands loads none). Raw and brotli (what
# the server sends to a browser that accepts br). Needs a running server of a built site
# (.ci/build-site; `serve --demo` for the sample warnings):
#   bench/page-weight.sh [http://127.0.0.1:3000] [site root, default target/site]
# A site from before the islands issue (one bundle, loaded by every page) is measured too.
set -euo pipefail
base="${1:-http://127.0.0.1:3000}"
cd "$(dirname "$0")/.."
site="${2:-target/site}"
# Pages are fetched with the cookie of one saved place, so that /settings shows its
# notifications switch (an island) as it does for a resident who saved a place.
cookie='Cookie: sjdz_places=360202000000'
size() { curl -sf -H "$cookie" -H "Accept-Encoding: $2" "$base$1" | wc -c; }
# bundle name -> "js wasm" hrefs; the single bundle of older builds is called "all".
bundle_of() {
  python3 - "$site/asset-manifest.json" "$1" <<'PY'
import json, sys
manifest = json.load(open(sys.argv[1]))
bundles = {b["name"]: b for b in manifest.get("bundles", [])}
if "js_href" in manifest:
    bundles["all"] = manifest
b = bundles.get(sys.argv[2])
print(f'{b["js_href"]} {b["wasm_href"]}' if b else "")
PY
}
css=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["css_href"])' "$site/asset-manifest.json")
css_br=$(size "$css" br)

# The first warning of the home page stands for /alerts/{id}.
alert=$(curl -sf "$base/" | grep -o 'href="/alerts/[0-9]*"' | head -1 | sed 's/href="\(.*\)"/\1/')
printf '%-12s %8s %8s %8s %8s %8s %12s %11s\n' page bundle 'html br' 'css br' 'js br' 'wasm br' 'first paint' 'everything'
for path in / "${alert:-/alerts/1}" /settings /shelters /drills /learn; do
  html=$(curl -sf -H "$cookie" -H 'Accept-Encoding: identity' "$base$path" || true)
  html_br=$(size "$path" br || true)
  bundle=$(grep -o '<meta name="islands-bundle" content="[a-z]*"' <<<"$html" | sed 's/.*content="\(.*\)"/\1/' || true)
  grep -q "querySelector('meta\[name=islands-bundle\]')" <<<"$html" || bundle=all
  read -r js wasm <<<"$(bundle_of "${bundle:-none}")"
  js_br=0 wasm_br=0
  if [ -n "${js:-}" ]; then js_br=$(size "$js" br); wasm_br=$(size "$wasm" br); fi
  printf '%-12s %8s %8d %8d %8d %8d %12d %11d\n' "$path" "${bundle:--}" "$html_br" "$css_br" "$js_br" "$wasm_br" \
    $((html_br + css_br)) $((html_br + css_br + js_br + wasm_br))
done
