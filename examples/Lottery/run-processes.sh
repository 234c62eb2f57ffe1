#!/usr/bin/env bash
# The lottery as separate processes on Redis and PostgreSQL: an access layer, three lottery nodes, a delivery service
# and the load generator, then each node stops (shipping its journal) and reconciliation runs.
#
#   examples/Lottery/run-processes.sh --private [SECONDS] [USERS]     # starts its own redis-server and PostgreSQL
#   REDIS=host:port POSTGRES="Host=…;Port=…;Username=…;Database=…" examples/Lottery/run-processes.sh [SECONDS] [USERS]
#
# KILL_NODE_AT=S sends SIGKILL to node-2 S seconds into the activity; it is restarted at the end only to replay and
# ship its journal (the `recover` role), as a crashed machine coming back would.
set -euo pipefail
cd "$(dirname "$0")/../.."

private=0
if [ "${1:-}" = "--private" ]; then private=1; shift; fi
seconds=${1:-30}
users=${2:-200000}
work=$(mktemp -d /tmp/lottery-processes-XXXXXX)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$private" = 1 ]; then
    [ -n "${pg_data:-}" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if [ "$private" = 1 ]; then
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir "$work" >"$work/redis.log" 2>&1 &
  pids+=($!)
  REDIS=127.0.0.1:$redis_port
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  pg_port=$(free_port)
  pg_data=$work/pg
  chown postgres "$work"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres --no-sync >"$work/initdb.log"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_data" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
  POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done
fi
: "${REDIS:?set REDIS=host:port or pass --private}"
: "${POSTGRES:?set POSTGRES to an Npgsql connection string or pass --private}"

dotnet build -c Release examples/Lottery -v quiet -nologo >/dev/null
lottery=(dotnet examples/Lottery/bin/Release/net10.0/Lottery.dll)
start=$(( $(date +%s%3N) + 8000 ))
plan=(--start "$start" --seconds "$seconds")
backends=(--redis "$REDIS" --postgres "$POSTGRES")

# Starts a role in the background and waits for its LISTENING line. Its standard input is a pipe held open by a
# sleeping process (a role stops on SIGTERM, or when its piped input ends); `address NAME` prints the address.
start_role() {
  local name=$1; shift
  mkfifo "$work/$name.in"
  sleep 100000 >"$work/$name.in" &
  pids+=($!)
  "${lottery[@]}" "$@" <"$work/$name.in" >"$work/$name.log" 2>&1 &
  pids+=($!)
  printf -v "${name//-/_}_pid" '%s' "$!"
  until grep -q '^LISTENING ' "$work/$name.log" 2>/dev/null; do sleep 0.1; done
}
address() { grep '^LISTENING ' "$work/$1.log" | head -1 | cut -d' ' -f2; }

start_role access access --listen 127.0.0.1:0
access=rpc://$(address access)/access
start_role delivery delivery --consumer delivery-1 "${plan[@]}" "${backends[@]}"
cashdesk=rpc://$(address delivery)/cashdesk
for n in 1 2 3; do
  start_role "node-$n" node --id "node-$n" --journal "$work/journals" --access "$access" --cashdesk "$cashdesk" "${plan[@]}" "${backends[@]}"
done
echo "access $access, delivery $cashdesk, journals in $work/journals"

if [ -n "${KILL_NODE_AT:-}" ]; then
  ( sleep $(( (start - $(date +%s%3N)) / 1000 + KILL_NODE_AT )); kill -KILL "$node_2_pid"; echo "node-2 killed (SIGKILL)" ) &
fi

"${lottery[@]}" loadgen --access "$access" --users "$users" "${plan[@]}"

for n in 1 2 3; do
  pid_var="node_${n}_pid"
  kill -TERM "${!pid_var}" 2>/dev/null || true   # a graceful stop: the node ships the rest of its journal
  wait "${!pid_var}" || true
done
if [ -n "${KILL_NODE_AT:-}" ]; then
  "${lottery[@]}" recover --id node-2 --journal "$work/journals" "${backends[@]}"
fi
"${lottery[@]}" reconcile --journal "$work/journals" "${plan[@]}" "${backends[@]}"
