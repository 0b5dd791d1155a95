#!/usr/bin/env bash
# CI check of env servers as Slurm jobs (docs/cluster.md, "Starting env servers as Slurm jobs"):
# one `zeroshot serve` per node through serve.sh, then three PPO learners with the same seed: one
# on the submit host stepping the envs of node1's server, one as a job on node1 stepping the envs
# of node2's server (traffic between two nodes), and one as a job on node1 given both addresses,
# which spreads its envs over both servers (one session on each). All must finish, each server
# must have served its learners' steps (a whole session of 4 envs, and half of the spread
# learner's: a session of 2), the three runs must be bit-identical (the envs' place does not
# change results), and on cancel each server must drain to zero sessions.
#   scripts/slurm/check-servers.sh        (needs a running cluster: SLURM_CONF from cluster.sh start)
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$PWD/env-server/target/zeroshot.jar"
[ -f "$jar" ] || { echo "check-servers.sh: no $jar (build it first)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'scripts/slurm/serve.sh stop "$work/servers" 2>/dev/null || true' EXIT
steps=2048

# The CI cluster's nodes are network namespaces on one private test network: plaintext servers.
export ZEROSHOT_SERVE_SECURITY=--insecure
t0=$(date +%s%N)
mapfile -t addrs < <(scripts/slurm/serve.sh start 2 "$work/servers")
echo "check-servers: servers listening at ${addrs[*]} $(( ($(date +%s%N) - t0) / 1000000 )) ms after sbatch"
[ "${#addrs[@]}" = 2 ] || { echo "check-servers: expected 2 server addresses, got ${#addrs[*]}" >&2; exit 1; }
read -r node_a _ < <(sed -n 1p "$work/servers/servers")
read -r node_b _ < <(sed -n 2p "$work/servers/servers")
[ "$node_a" != "$node_b" ] || { echo "check-servers: both servers on $node_a" >&2; exit 1; }

learn=(java -jar "$jar" train ppo --env CartPole-v1 --seed 0 --steps "$steps" --no-progress)
# Runs a learner as a job on $node_a: learner_job NAME SERVER; output in $work/NAME.log, run folder $work/NAME.
learner_job() {
  local name="$1" server="$2" job state
  job="$(timeout 30 sbatch --parsable -w "$node_a" -J learner -o "$work/$name.log" \
    --wrap "exec $(printf '%q ' "${learn[@]}") --server $server --out $work/$name")"
  for _ in $(seq 1 600); do
    state="$(timeout 10 squeue -h -t all -j "$job" -o %T)"
    case "$state" in PENDING | CONFIGURING | RUNNING | COMPLETING) sleep 0.5 ;; *) break ;; esac
  done
  [ "$state" = COMPLETED ] || { tail -n 20 "$work/$name.log" >&2; echo "check-servers: learner job $job $state" >&2; exit 1; }
}
timeout 300 "${learn[@]}" --server "${addrs[0]}" --out "$work/here" >"$work/here.log" 2>&1
learner_job job "${addrs[1]}"
echo "check-servers: learner on the submit host used ${addrs[0]} ($node_a), learner job on $node_a used ${addrs[1]} ($node_b)"
# One learner, both servers: its 4 envs in two sessions of 2, one on each server.
learner_job spread "${addrs[0]},${addrs[1]}"
placement="$(grep -m1 '^sessions: ' "$work/spread.log" || true)"
for addr in "${addrs[@]}"; do
  [[ "$placement" == *" on $addr "* ]] ||
    { cat "$work/spread.log" >&2; echo "check-servers: the spread learner has no session on $addr" >&2; exit 1; }
done
echo "check-servers: learner job on $node_a spread over both servers: ${placement#sessions: }"

server_id="$(cat "$work/servers/job")"
for node in "$node_a" "$node_b"; do
  log="$work/servers/serve-$server_id-$node.out"
  grep -q "session ended .* steps=$steps" "$log" ||
    { echo "check-servers: the server on $node did not serve a $steps-step session" >&2; exit 1; }
  grep -q "session made .* numEnvs=2 " "$log" && grep -Eq "session ended .* steps=$((steps / 2))( |$)" "$log" ||
    { echo "check-servers: the server on $node did not serve the spread learner's session (2 envs, $((steps / 2)) steps)" >&2; exit 1; }
done
for run in job spread; do
  cmp "$work/here/checkpoint.ckpt" "$work/$run/checkpoint.ckpt" ||
    { echo "check-servers: the checkpoints of learners 'here' and '$run' differ" >&2; exit 1; }
  # Same metrics but for the wall-clock columns (seconds, steps_per_second).
  cmp <(cut -d, -f3,4 --complement "$work/here/metrics.csv") <(cut -d, -f3,4 --complement "$work/$run/metrics.csv") ||
    { echo "check-servers: the metrics of learners 'here' and '$run' differ" >&2; exit 1; }
done

scripts/slurm/serve.sh stop "$work/servers"
trap - EXIT
for node in "$node_a" "$node_b"; do
  grep -q "server stopped liveSessions=0 liveEnvs=0" "$work/servers/serve-$server_id-$node.out" ||
    { echo "check-servers: the server on $node did not drain to zero sessions on cancel" >&2; exit 1; }
done
echo "check-servers: both servers served, one learner spread over both, same results from every placement, both drained"
rm -rf "$work"
