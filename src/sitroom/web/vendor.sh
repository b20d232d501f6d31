#!/usr/bin/env bash
# Refresh the map libraries the web app ships (run by `make vendor`; the results are committed, so
# nothing is fetched when sitroom is installed or run). Everything comes from the npm registry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent leaflet@1.9.4 topojson-client@3.1.0 world-atlas@2.0.2 swagger-ui-dist@5.35.0 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
rm -rf "$dest"
mkdir -p "$dest/leaflet/images"
cp leaflet-1.9.4/package/dist/leaflet.js leaflet-1.9.4/package/dist/leaflet.css "$dest/leaflet/"
cp leaflet-1.9.4/package/dist/images/*.png "$dest/leaflet/images/"
cp leaflet-1.9.4/package/LICENSE "$dest/leaflet/LICENSE"
cp topojson-client-3.1.0/package/dist/topojson-client.min.js "$dest/"
cp topojson-client-3.1.0/package/LICENSE "$dest/topojson-client.LICENSE"
# Natural Earth 1:110m country outlines (public domain) as TopoJSON, by world-atlas (ISC)
cp world-atlas-2.0.2/package/countries-110m.json "$dest/"
cp world-atlas-2.0.2/package/LICENSE "$dest/world-atlas.LICENSE"
# Swagger UI for /docs (OpenAPI 3.1, as FastAPI writes it)
mkdir -p "$dest/swagger"
cp swagger-ui-dist-5.35.0/package/swagger-ui-bundle.js swagger-ui-dist-5.35.0/package/swagger-ui.css "$dest/swagger/"
cp swagger-ui-dist-5.35.0/package/LICENSE "$dest/swagger/LICENSE"
echo "vendored into $dest" >&2
