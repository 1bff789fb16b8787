# Sourced by scripts/test.sh: starts Azurite (in memory) and MailDev when nothing listens on their ports, and stops
# at the end only the ones it started. An instance that was already listening belongs to someone else (run.sh,
# another checkout, another engineer's test run) and is never stopped.
# Ports: AZURITE_*_PORT and MAILDEV_*_PORT, as the start scripts read them.

services_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
started_pids=()

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_service PORT PIDFILE COMMAND...: runs COMMAND unless PORT answers; remembers the pid it then wrote.
start_service() {
  local port="$1" pidfile="$2"
  shift 2
  if listening "$port"; then
    "$@"
    return
  fi
  "$@" || return 1
  started_pids+=("$(cat "$services_root/$pidfile")")
}

start_services() {
  local table="${AZURITE_TABLE_PORT:-10002}" smtp="${MAILDEV_SMTP_PORT:-1025}"
  AZURITE_IN_MEMORY=1 start_service "$table" ".azurite/azurite-$table.pid" "$services_root/scripts/start-azurite.sh" || return 1
  start_service "$smtp" ".maildev/maildev-$smtp.pid" "$services_root/scripts/start-maildev.sh" || return 1
}

stop_started_services() {
  local pid
  for pid in "${started_pids[@]}"; do
    if kill "$pid" 2>/dev/null; then echo "stopped pid $pid (started by this test run)"; fi
  done
  started_pids=()
}
