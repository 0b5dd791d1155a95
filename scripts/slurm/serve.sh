#!/usr/bin/env bash
# `zeroshot serve` on N nodes of a Slurm cluster, one server per node, as one job
# (docs/cluster.md, "Env servers on the cluster").
#
#   scripts/slurm/serve.sh start N DIR [SBATCH_ARG...]   submit the job, wait until every server
#                                                        listens, print their addresses (HOST:PORT,
#                                                        one a line)
#   scripts/slurm/serve.sh stop DIR                      cancel the job and wait until it has ended
#
# DIR (on the shared filesystem) gets the job's log serve-JOBID.out, each server's log
# serve-JOBID-NODE.out, the job id in `job` and the list `servers` (node, address). The job asks for
# N nodes with one task each and `srun` starts one server per node, so the servers are on N
# different nodes while the rest of each node stays free for other jobs. SBATCH_ARGS add e.g.
# -p PARTITION -t 1-0 -A ACCOUNT -c 4 or -w node[1-2]. A server binds every address of its node
# (--host 0.0.0.0) on a free port, which it prints; its address is the node's NodeAddr. A cancel
# sends SIGTERM first, on which each server drains its sessions.
# ZEROSHOT_JAR: the jar on the shared filesystem (default: this checkout's env-server/target/zeroshot.jar).
# ZEROSHOT_SERVE_ARGS: more `zeroshot serve` options (e.g. "--threads 4 --max-sessions 64").
# ZEROSHOT_SERVE_SECURITY: how the servers protect their ports (default "--insecure": plaintext,
# no tokens, for a private test network such as cluster.sh's). On a real cluster give TLS and
# tokens instead, e.g. "--tls-cert /shared/certs/serve.crt --tls-key /shared/certs/serve.key
# --auth-tokens /shared/certs/tokens" (docs/security.md); serve refuses 0.0.0.0 without either.
# Needs SLURM_CONF (or a default Slurm config) in the environment, like sbatch.
set -euo pipefail

die() { echo "serve.sh: $*" >&2; exit 1; }

# The state of job $1 ("" once Slurm has forgotten it).
job_state() { timeout 10 squeue -h -t all -j "$1" -o %T 2>/dev/null || true; }

# Fails with the job's log unless job $1 is still pending or running.
require_alive() {
  local state
  state="$(job_state "$1")"
  case "$state" in PENDING | CONFIGURING | RUNNING) return 0 ;; esac
  tail -n 20 "$2"/serve-"$1"*.out >&2 2>/dev/null || true
  die "server job $1 ended (${state:-gone}) before every server listened (logs: $2/serve-$1*.out)"
}

cmd_start() {
  local count="$1" dir="$2" jar id state nodes node log line port addr
  shift 2
  [[ "$count" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive number of nodes, got '$count'"
  jar="${ZEROSHOT_JAR:-$(cd "$(dirname "$0")/../.." && pwd)/env-server/target/zeroshot.jar}"
  [ -f "$jar" ] || die "no jar at $jar: build it (./mvnw -pl env-server -am package -DskipTests) or set ZEROSHOT_JAR"
  command -v sbatch >/dev/null || die "sbatch is not on the PATH: is this a Slurm submit host?"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ ! -s "$dir/job" ] || die "$dir already has a server job (stop it first: $0 stop $dir)"
  id="$(timeout 30 sbatch --parsable -N "$count" --ntasks-per-node=1 -J zeroshot-serve -o "$dir/serve-%j.out" "$@" \
    --wrap "exec srun -o '$dir/serve-%j-%N.out' java -jar '$jar' serve --host 0.0.0.0 --port 0 ${ZEROSHOT_SERVE_SECURITY:---insecure} ${ZEROSHOT_SERVE_ARGS:-}")"
  id="${id%%;*}"
  echo "$id" >"$dir/job"
  : >"$dir/servers"
  # A start that fails half-way cancels the job.
  trap 'echo "serve.sh: start failed; cancelling job $id" >&2; cmd_stop "$dir"' ERR
  for _ in $(seq 1 600); do
    state="$(job_state "$id")"
    [ "$state" = RUNNING ] && break
    require_alive "$id" "$dir"
    sleep 0.2
  done
  [ "$state" = RUNNING ] || die "server job $id still not running after 120 s ($state)"
  nodes="$(timeout 10 scontrol show hostnames "$(timeout 10 squeue -h -j "$id" -o %N)")"
  for node in $nodes; do
    log="$dir/serve-$id-$node.out"
    port=""
    for _ in $(seq 1 600); do
      line="$(grep -m1 '^zeroshot serve: listening on ' "$log" 2>/dev/null || true)"
      if [ -n "$line" ]; then port="${line##*:}"; break; fi
      require_alive "$id" "$dir"
      sleep 0.2
    done
    [ -n "$port" ] || die "the server on $node did not listen within 120 s (log: $log)"
    addr="$(timeout 10 scontrol show node -o "$node" | tr ' ' '\n' | sed -n 's/^NodeAddr=//p')"
    echo "$node $addr:$port" >>"$dir/servers"
    echo "$addr:$port"
  done
  trap - ERR
}

cmd_stop() {
  local dir="$1" id state=""
  [ -s "$dir/job" ] || die "no server job was started in $dir (no $dir/job)"
  id="$(cat "$dir/job")"
  timeout 30 scancel "$id" || true
  for _ in $(seq 1 300); do
    state="$(job_state "$id")"
    case "$state" in PENDING | CONFIGURING | RUNNING | COMPLETING) sleep 0.2 ;; *) break ;; esac
  done
  echo "serve.sh: server job $id ${state:-gone}" >&2
  rm -f "$dir/job"
}

case "${1:-}" in
  start) [ $# -ge 3 ] || die "usage: $0 start N DIR [SBATCH_ARG...]"; shift; cmd_start "$@" ;;
  stop) [ $# = 2 ] || die "usage: $0 stop DIR"; cmd_stop "$2" ;;
  *) echo "usage: $0 start N DIR [SBATCH_ARG...] | stop DIR" >&2; exit 2 ;;
esac
