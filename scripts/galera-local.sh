#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on this machine, for tests (npm run test:cluster).
#
#   scripts/galera-local.sh start          fresh cluster: wipe $GALERA_DIR, bootstrap node 1, join 2 and 3
#   scripts/galera-local.sh stop           shut the three nodes down (SIGKILL after 30 s)
#   scripts/galera-local.sh status         each node's state and the cluster size
#   scripts/galera-local.sh start-node N   start node N again after it died (rejoins by IST or SST)
#
# Everything lives in $GALERA_DIR (default /tmp/agentnet-galera): one data directory, config file,
# socket, pid file and error log per node. Node N listens on 127.0.0.1 only: SQL on
# $GALERA_BASE_PORT+N-1 (3311-3313), group communication (gmcast.listen_addr) on 4570+N, IST on
# 4580+N, SST (rsync) on 4590+N. Every command names its own defaults file, socket or port, so the
# main MariaDB on 3306 is never touched. Root has no password on 127.0.0.1, like the main server.
set -euo pipefail

DIR="${GALERA_DIR:-/tmp/agentnet-galera}"
BASE_PORT="${GALERA_BASE_PORT:-3311}"
NODES=3
PROVIDER="${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}"
MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"

case "$DIR" in
  /?*/*) ;;
  *) echo "GALERA_DIR must be an absolute path at least two levels deep (it is wiped by start), got '$DIR'" >&2; exit 2 ;;
esac

sql_port() { echo $((BASE_PORT + $1 - 1)); }
gcomm_port() { echo $((4570 + $1)); }
node_dir() { echo "$DIR/node$1"; }

client() { # client N args...: the mariadb client against node N over TCP, no option files read
  local n=$1; shift
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$(sql_port "$n")" -uroot "$@"
}

need_packages() {
  local missing=()
  [ -x "$MARIADBD" ] || missing+=(mariadb-server)
  command -v mariadb-install-db >/dev/null || missing+=(mariadb-server)
  [ -e "$PROVIDER" ] || missing+=(galera-4)
  command -v rsync >/dev/null || missing+=(rsync)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
  else
    echo "missing packages: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
}

write_config() {
  local n=$1 d; d="$(node_dir "$n")"
  local members=""
  for i in $(seq 1 $NODES); do members+="${members:+,}127.0.0.1:$(gcomm_port "$i")"; done
  cat >"$d/my.cnf" <<EOF
[mysqld]
user=mysql
datadir=$d/data
socket=$d/mysqld.sock
pid-file=$d/mariadbd.pid
log-error=$d/error.log
port=$(sql_port "$n")
bind-address=127.0.0.1
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
performance_schema=OFF
skip-log-bin
# What Galera needs: row-based replication, InnoDB, interleaved auto-increment locks.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
# Durability comes from the other nodes (a commit is acknowledged once the cluster certified it),
# and this is a scratch cluster on a shared machine: no fsync per commit, small buffers.
innodb_flush_log_at_trx_commit=0
innodb_buffer_pool_size=64M
innodb_log_file_size=48M
max_connections=200
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=agentnet-local
wsrep_cluster_address=gcomm://$members
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(gcomm_port "$n")
wsrep_node_incoming_address=127.0.0.1:$(sql_port "$n")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n");ist.recv_addr=127.0.0.1:$((4580 + n));gcache.size=64M;gcs.fc_limit=64"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$((4590 + n))
wsrep_slave_threads=2
EOF
}

running() { # running N: the node's mariadbd is alive
  local pidf; pidf="$(node_dir "$1")/mariadbd.pid"
  [ -s "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null
}

wait_synced() { # wait_synced N SECONDS
  local n=$1 secs=$2 state=""
  for _ in $(seq 1 $((secs * 2))); do
    state="$(client "$n" -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2 || true)"
    [ "$state" = Synced ] && return 0
    if ! running "$n" && [ -s "$(node_dir "$n")/mariadbd.pid" ]; then break; fi
    sleep 0.5
  done
  echo "node $n did not reach Synced (state: ${state:-down}); last lines of its log:" >&2
  tail -n 30 "$(node_dir "$n")/error.log" >&2 || true
  return 1
}

start_node() { # start_node N [--wsrep-new-cluster]
  local n=$1; shift
  local d; d="$(node_dir "$n")"
  if running "$n"; then echo "node $n already running"; return 0; fi
  rm -f "$d/mariadbd.pid"
  chown -R mysql:mysql "$d"
  setsid "$MARIADBD" --defaults-file="$d/my.cnf" "$@" </dev/null >>"$d/error.log" 2>&1 &
  wait_synced "$n" 120
  echo "node $n synced on 127.0.0.1:$(sql_port "$n")"
}

start() {
  need_packages
  for n in $(seq 1 $NODES); do
    if running "$n"; then echo "a cluster is already running in $DIR: stop it first" >&2; exit 1; fi
  done
  rm -rf "$DIR"
  for n in $(seq 1 $NODES); do
    mkdir -p "$(node_dir "$n")/data"
    write_config "$n"
  done
  # Only node 1 is initialised: the others receive its data by SST when they join.
  mariadb-install-db --defaults-file="$(node_dir 1)/my.cnf" --auth-root-authentication-method=normal \
    --skip-test-db >"$(node_dir 1)/install.log" 2>&1
  chown -R mysql:mysql "$DIR"
  start_node 1 --wsrep-new-cluster
  client 1 -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
  for n in $(seq 2 $NODES); do start_node "$n"; done
  status
}

stop() {
  for n in $(seq $NODES -1 1); do
    running "$n" || continue
    local pid; pid="$(cat "$(node_dir "$n")/mariadbd.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "node $n did not stop: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    echo "node $n stopped"
  done
}

status() {
  local rc=0
  for n in $(seq 1 $NODES); do
    if running "$n"; then
      client "$n" -N -e "SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment','wsrep_cluster_size','wsrep_cluster_status')" 2>/dev/null |
        awk -v n="$n" -v p="$(sql_port "$n")" 'BEGIN{printf "node %s (127.0.0.1:%s):", n, p} {printf " %s=%s", $1, $2} END{print ""}' || rc=1
    else
      echo "node $n: down"; rc=1
    fi
  done
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  start-node) [ -n "${2:-}" ] || { echo "usage: $0 start-node N" >&2; exit 2; }; start_node "$2" ;;
  *) echo "usage: $0 start|stop|status|start-node N" >&2; exit 2 ;;
esac
