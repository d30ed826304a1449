#!/usr/bin/env bash
# Runs the adapters' contract suites and the EventStoreDB direct-subscription suite against real
# servers (docker-compose.yml): `npm run test:servers -- single` (one KurrentDB node) or
# `npm run test:servers -- cluster` (three nodes), each with a MongoDB replica set. Needs Docker
# with its engine running (not available on the development machines); the servers are removed
# afterwards. The suites read exactly these two variables.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-single}"
case "$profile" in
  single) esdb='esdb://127.0.0.1:2113?tls=false' ;;
  cluster) esdb='esdb://127.0.0.1:2111,127.0.0.1:2112,127.0.0.1:2113?tls=false' ;;
  *) echo "usage: $0 single|cluster" >&2; exit 64 ;;
esac
trap 'docker compose --profile "$profile" down --volumes >/dev/null 2>&1 || true' EXIT
docker compose --profile "$profile" up --detach --wait
ESDB_CONNECTION_STRING="$esdb" \
MONGODB_URI='mongodb://127.0.0.1:27017/?replicaSet=rs0' \
  npx jest --runInBand \
    test/event-store/esdb-event-store.int-spec.ts \
    test/subscribers/esdb-direct-subscription.int-spec.ts \
    test/read-store/mongo-read-store.int-spec.ts
