#!/usr/bin/env bash
# A real two-node Slurm cluster on one Linux machine, for tests and CI (docs/cluster.md).
#
#   scripts/slurm/cluster.sh start    install Debian's Slurm + munge if missing, start the cluster
#   scripts/slurm/cluster.sh stop     cancel every job, stop the daemons, remove the network
#   scripts/slurm/cluster.sh status   what runs, and what sinfo says
#   scripts/slurm/cluster.sh check    one job per node runs `java -version`; prints sbatch-to-start times
#
# Each node is a network + UTS namespace of this machine with its own hostname (node1, node2) and
# address (10.200.0.11, 10.200.0.12) on a bridge at 10.200.0.1, which the controller and munged
# use. The filesystem is shared, so jobs see the same files (and the same java) as the submitter.
# Needs root and no systemd. State, config and logs live in $ZEROSHOT_SLURM_DIR
# (default /tmp/zeroshot-slurm); `start` writes the variables to use into $ZEROSHOT_SLURM_DIR/env.
set -euo pipefail

STATE="${ZEROSHOT_SLURM_DIR:-/tmp/zeroshot-slurm}"
CONF="$STATE/slurm.conf"
BRIDGE=zs-br0
BRIDGE_ADDR=10.200.0.1
NODES=(node1 node2)
declare -A NODE_ADDR=([node1]=10.200.0.11 [node2]=10.200.0.12)
CTLD_PORT=6817

say() { echo "cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# The PID in $STATE/pids/NAME if that process still runs the program we started (PIDs get reused).
live_pid() {
  local file="$STATE/pids/$1" prog="$2" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] || return 1
  # A stopped daemon can linger as a zombie that kill -0 still reports.
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$prog" ] || return 1
  echo "$pid"
}

# Sends TERM to a daemon we started, waits up to 10 s, then KILL.
stop_daemon() {
  local name="$1" prog="$2" pid
  if pid="$(live_pid "$name" "$prog")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do live_pid "$name" "$prog" >/dev/null || break; sleep 0.1; done
    if live_pid "$name" "$prog" >/dev/null; then
      say "$name (pid $pid) did not stop on TERM within 10 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$STATE/pids/$name"
}

install_packages() {
  local missing=()
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  command -v munged >/dev/null || missing+=(munge)
  [ "${#missing[@]}" = 0 ] && return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them (Debian/Ubuntu packages expected)"
  say "installing ${missing[*]} (apt-get)"
  local t0=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  say "installed in $((SECONDS - t0)) s"
}

munge_works() { timeout 5 munge -n 2>/dev/null | timeout 5 unmunge >/dev/null 2>&1; }

start_munge() {
  if munge_works; then
    say "using the munged that already runs"
    return 0
  fi
  [ -f /etc/munge/munge.key ] || die "/etc/munge/munge.key is missing (the munge package makes it; or run mungekey as munge)"
  install -d -o munge -g munge -m 0755 /run/munge
  setpriv --reuid=munge --regid=munge --init-groups -- /usr/sbin/munged -F >>"$STATE/log/munged.log" 2>&1 &
  echo $! >"$STATE/pids/munged"
  for _ in $(seq 1 50); do munge_works && return 0; sleep 0.1; done
  tail -5 "$STATE/log/munged.log" >&2 || true
  die "munged did not answer within 5 s (log: $STATE/log/munged.log)"
}

# The node's hardware line as slurmd reports it, with our node name and a safe RealMemory.
node_line() {
  local node="$1" hw
  hw="$(timeout 10 slurmd -C | head -1)"
  hw="$(sed -e 's/^NodeName=[^ ]* //' -e 's/RealMemory=[0-9]*/RealMemory=1024/' <<<"$hw")"
  echo "NodeName=$node NodeAddr=${NODE_ADDR[$node]} $hw State=UNKNOWN"
}

write_conf() {
  local host
  host="$(hostname -s)"
  {
    echo "# Written by scripts/slurm/cluster.sh: two nodes in network namespaces of $host."
    echo "ClusterName=zeroshot"
    echo "SlurmctldHost=$host($BRIDGE_ADDR)"
    echo "SlurmctldPort=$CTLD_PORT"
    echo "SlurmUser=root"
    echo "SlurmdUser=root"
    echo "AuthType=auth/munge"
    echo "CryptoType=crypto/munge"
    echo "MpiDefault=none"
    echo "MailProg=/bin/true"
    echo "ReturnToService=2"
    echo "# No cgroups: this machine's cgroups are not usable by Slurm."
    echo "ProctrackType=proctrack/linuxproc"
    echo "TaskPlugin=task/none"
    echo "JobAcctGatherType=jobacct_gather/none"
    echo "SelectType=select/cons_tres"
    echo "SelectTypeParameters=CR_Core"
    echo "AccountingStorageType=accounting_storage/none"
    echo "# Finished jobs stay in squeue/scontrol for an hour; after that sacct -c reads this file."
    echo "JobCompType=jobcomp/filetxt"
    echo "JobCompLoc=$STATE/jobcomp.txt"
    echo "MinJobAge=3600"
    echo "StateSaveLocation=$STATE/ctld"
    echo "SlurmctldPidFile=$STATE/slurmctld.pid"
    echo "SlurmctldLogFile=$STATE/log/slurmctld.log"
    echo "SlurmdSpoolDir=$STATE/spool/%n"
    echo "SlurmdPidFile=$STATE/spool/%n.pid"
    echo "SlurmdLogFile=$STATE/log/%n.log"
    for node in "${NODES[@]}"; do node_line "$node"; done
    echo "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP"
  } >"$CONF"
}

start_network() {
  local node peer
  ip link add "$BRIDGE" type bridge
  ip addr add "$BRIDGE_ADDR/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  for node in "${NODES[@]}"; do
    peer="zs-$node"
    ip netns add "zs-$node"
    ip link add "$peer" type veth peer name eth0 netns "zs-$node"
    ip link set "$peer" master "$BRIDGE" up
    ip -n "zs-$node" addr add "${NODE_ADDR[$node]}/24" dev eth0
    ip -n "zs-$node" link set eth0 up
    ip -n "zs-$node" link set lo up
  done
}

stop_network() {
  local node pids
  for node in "${NODES[@]}"; do
    # Whatever still runs in a node (job steps left by a crashed slurmd) ends with the node.
    mapfile -t pids < <(ip netns pids "zs-$node" 2>/dev/null || true)
    if [ "${#pids[@]}" -gt 0 ]; then
      say "killing what still runs on $node: pids ${pids[*]}"
      kill -KILL "${pids[@]}" 2>/dev/null || true
    fi
    # Delete the veth first: removed with the namespace, the link lingers for about a second.
    ip link del "zs-$node" 2>/dev/null || true
    ip netns del "zs-$node" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  # `ip netns add` bind-mounts /run/netns onto itself; undo that if we caused it and it is empty.
  if [ -f "$STATE/netns-mounted-by-us" ]; then
    if [ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
      umount /run/netns 2>/dev/null || true
      rmdir /run/netns 2>/dev/null || true
    fi
    rm -f "$STATE/netns-mounted-by-us"
  fi
}

wait_ctld_listening() {
  for _ in $(seq 1 100); do
    # Look, do not connect: a probe connection makes slurmctld log an error.
    ss -Hltn "sport = :$CTLD_PORT" | grep -q . && return 0
    live_pid slurmctld slurmctld >/dev/null || break
    sleep 0.1
  done
  tail -20 "$STATE/log/slurmctld.log" >&2 || true
  die "slurmctld is not listening on $CTLD_PORT after 10 s (log: $STATE/log/slurmctld.log)"
}

wait_nodes_idle() {
  local out
  for _ in $(seq 1 150); do
    out="$(SLURM_CONF="$CONF" timeout 5 sinfo -h -N -o '%N %T' 2>/dev/null || true)"
    [ "$(grep -c ' idle$' <<<"$out")" = "${#NODES[@]}" ] && return 0
    sleep 0.2
  done
  echo "$out" >&2
  die "the nodes are not both idle after 30 s (logs: $STATE/log/)"
}

cmd_stop() {
  if live_pid slurmctld slurmctld >/dev/null; then
    # slurmstepd outlives slurmd: end the jobs first, while the daemons can still do it.
    # Every user's jobs (scancel needs a filter; the one partition holds them all).
    SLURM_CONF="$CONF" timeout 10 scancel --quiet --partition=debug 2>/dev/null || true
    for _ in $(seq 1 150); do
      [ -z "$(SLURM_CONF="$CONF" timeout 5 squeue -h -o %i 2>/dev/null || echo unknown)" ] && break
      sleep 0.2
    done
  fi
  for node in "${NODES[@]}"; do stop_daemon "$node" slurmd; done
  stop_daemon slurmctld slurmctld
  stop_daemon munged munged
  stop_network
  rm -f "$STATE/env"
}

require_root() { [ "$(id -u)" = 0 ] || die "$1 needs root (network namespaces; slurmd runs as root)"; }

cmd_start() {
  local t0 node
  t0="$(date +%s.%N)"
  install_packages
  mkdir -p "$STATE/pids" "$STATE/log"
  # Whatever a crashed or earlier run left behind goes first.
  cmd_stop
  # A fresh controller state: no jobs from before, and `idle` can only come from the new slurmds.
  rm -rf "$STATE/ctld" "$STATE/spool" "$STATE/jobcomp.txt" "$STATE"/log/*.log
  mkdir -p "$STATE/ctld" "$STATE/log"
  for node in "${NODES[@]}"; do mkdir -p "$STATE/spool/$node"; done
  if ! mountpoint -q /run/netns; then touch "$STATE/netns-mounted-by-us"; fi
  start_munge
  write_conf
  start_network
  slurmctld -D -f "$CONF" >>"$STATE/log/slurmctld.out" 2>&1 &
  echo $! >"$STATE/pids/slurmctld"
  wait_ctld_listening
  for node in "${NODES[@]}"; do
    # nsenter, not `ip netns exec`: the latter remounts /sys and slurmd dies. nsenter, unshare and
    # sh all exec, so $! ends up as slurmd's own PID.
    nsenter --net="/run/netns/zs-$node" unshare --uts \
      sh -c "hostname $node && exec slurmd -D -N $node -f '$CONF'" >>"$STATE/log/$node.out" 2>&1 &
    echo $! >"$STATE/pids/$node"
  done
  wait_nodes_idle
  printf 'export SLURM_CONF=%s\n' "$CONF" >"$STATE/env"
  say "two nodes idle after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s; to use it:"
  cat "$STATE/env"
}

cmd_status() {
  local name prog pid
  for name in munged slurmctld "${NODES[@]}"; do
    prog="$name"; case "$name" in node*) prog=slurmd ;; esac
    if pid="$(live_pid "$name" "$prog")"; then echo "$name: running (pid $pid)"; else echo "$name: not running"; fi
  done
  if [ -f "$CONF" ] && live_pid slurmctld slurmctld >/dev/null; then
    SLURM_CONF="$CONF" timeout 5 sinfo -N -o '%N %T %c %o' || true
    SLURM_CONF="$CONF" timeout 5 squeue || true
  fi
  [ -f "$STATE/env" ] && cat "$STATE/env"
  return 0
}

# Waits until job $1 has finished; prints its final state.
wait_job() {
  local state=""
  for _ in $(seq 1 300); do
    state="$(timeout 5 squeue -h -t all -j "$1" -o %T 2>/dev/null || true)"
    case "$state" in PENDING | CONFIGURING | RUNNING | COMPLETING | "") sleep 0.2 ;; *) break ;; esac
  done
  echo "$state"
}

# One job per node, pinned with -w: it must run there (hostname, address) and find java, since jobs
# inherit the submitter's environment and the filesystem is shared.
cmd_check() {
  export SLURM_CONF="$CONF"
  live_pid slurmctld slurmctld >/dev/null || die "no cluster runs from $STATE: run '$0 start' first"
  local dir node id state submitted started host addr java
  dir="$(mktemp -d)"  # the submitter's own: check need not run as root
  declare -A job submit_time
  for node in "${NODES[@]}"; do
    submit_time[$node]="$(date +%s.%N)"
    job[$node]="$(timeout 10 sbatch --parsable -J "check-$node" -w "$node" -o "$dir/$node.out" \
      --wrap 'date +%s.%N; hostname; hostname -I; java -version 2>&1 | head -1')"
  done
  for node in "${NODES[@]}"; do
    id="${job[$node]%%;*}"
    state="$(wait_job "$id")"
    [ "$state" = COMPLETED ] || die "check job $id on $node ended $state (output: $dir/$node.out)"
    { read -r started; read -r host; read -r addr; read -r java; } <"$dir/$node.out"
    [ "$host" = "$node" ] || die "check job $id ran on host '$host', not $node"
    addr="${addr% }"  # hostname -I ends with a space
    [ "$addr" = "${NODE_ADDR[$node]}" ] || die "check job $id on $node has address '$addr', not ${NODE_ADDR[$node]}"
    case "$java" in *version*) ;; *) die "check job $id on $node could not run java: '$java'" ;; esac
    submitted="${submit_time[$node]}"
    echo "check: job $id ran on $host (${NODE_ADDR[$node]}) with $java;" \
      "$(awk -v a="$submitted" -v b="$started" 'BEGIN{printf "%.2f", b-a}') s from sbatch to start"
  done
  rm -rf "$dir"
}

case "${1:-}" in
  start) require_root start; cmd_start ;;
  stop) require_root stop; cmd_stop ;;
  status) cmd_status ;;
  check) cmd_check ;;
  *) echo "usage: $0 start|stop|status|check   (state in \$ZEROSHOT_SLURM_DIR, default /tmp/zeroshot-slurm)" >&2; exit 2 ;;
esac
