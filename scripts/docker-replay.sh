#!/usr/bin/env bash
# Replays the Dockerfile's runtime stage without a Docker engine: production dependencies only,
# the compiled build, NODE_ENV=production as a non-root-style run, then the image's HEALTHCHECK
# command. Needs `npm run build` first (the build stage). Exits non-zero when any step fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$root/dist/src/main.js" ] || { echo "dist/ is missing: run npm run build first" >&2; exit 1; }

work="$(mktemp -d)"
data="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; rm -rf "$work" "$data"; }
trap cleanup EXIT

echo "-- runtime stage: npm ci --omit=dev"
cp "$root/package.json" "$root/package-lock.json" "$work/"
(cd "$work" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
[ ! -d "$work/node_modules/typescript" ] || { echo "dev dependency typescript leaked into the runtime image" >&2; exit 1; }
[ ! -d "$work/node_modules/tsx" ] || { echo "dev dependency tsx leaked into the runtime image" >&2; exit 1; }
cp -r "$root/dist" "$work/dist"
mkdir -p "$work/db" && cp -r "$root/db/migrations" "$work/db/migrations"

port="$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")"
echo "-- CMD node dist/src/main.js (NODE_ENV=production, port $port)"
(cd "$work" && NODE_ENV=production PORT="$port" KLIK_DATA_DIR="$data" \
  KLIK_SECRET_KEY="replay-secret-key-with-at-least-32-chars" LOG_LEVEL=warn \
  node dist/src/main.js) &
pid=$!

echo "-- HEALTHCHECK"
for i in $(seq 1 60); do
  if PORT="$port" node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    echo "healthy after ~$((i / 2)) s"
    # The playground must not be served in production.
    code="$(node -e "fetch('http://127.0.0.1:$port/').then(r=>console.log(r.status),()=>console.log(0))")"
    [ "$code" = "404" ] || { echo "production served / with status $code (expected 404: no playground)" >&2; exit 1; }
    kill -TERM "$pid"; wait "$pid" || true; pid=""
    echo "docker replay: ok"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || { echo "the server exited before it was healthy" >&2; exit 1; }
  sleep 0.5
done
echo "not healthy within 30 s" >&2
exit 1
