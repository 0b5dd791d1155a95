#!/usr/bin/env bash
# CI check of env servers as Slurm jobs (docs/cluster.md, "Env servers on the cluster"): one
# `zeroshot serve` per node through serve.sh, then two PPO learners with the same seed, one on the
# submit host stepping the envs of node1's server, one as a job on node1 stepping the envs of
# node2's server (traffic between two nodes). Both must finish, each server must have served its
# learner's steps, the two runs must be bit-identical (the envs' place does not change results),
# and on cancel each server must drain to zero sessions.
#   scripts/slurm/check-servers.sh        (needs a running cluster: SLURM_CONF from cluster.sh start)
set -euo pipefail
cd "$(dirname "$0")/../.."
jar="$PWD/env-server/target/zeroshot.jar"
[ -f "$jar" ] || { echo "check-servers.sh: no $jar (build it first)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'scripts/slurm/serve.sh stop "$work/servers" 2>/dev/null || true' EXIT
steps=2048

t0=$(date +%s%N)
mapfile -t addrs < <(scripts/slurm/serve.sh start 2 "$work/servers")
echo "check-servers: servers listening at ${addrs[*]} $(( ($(date +%s%N) - t0) / 1000000 )) ms after sbatch"
[ "${#addrs[@]}" = 2 ] || { echo "check-servers: expected 2 server addresses, got ${#addrs[*]}" >&2; exit 1; }
read -r node_a _ < <(sed -n 1p "$work/servers/servers")
read -r node_b _ < <(sed -n 2p "$work/servers/servers")
[ "$node_a" != "$node_b" ] || { echo "check-servers: both servers on $node_a" >&2; exit 1; }

learn=(java -jar "$jar" train ppo --env CartPole-v1 --seed 0 --steps "$steps" --no-progress)
timeout 300 "${learn[@]}" --server "${addrs[0]}" --out "$work/here" >"$work/here.log" 2>&1
job="$(timeout 30 sbatch --parsable -w "$node_a" -J learner -o "$work/job.log" \
  --wrap "exec $(printf '%q ' "${learn[@]}") --server ${addrs[1]} --out $work/job")"
for _ in $(seq 1 600); do
  state="$(timeout 10 squeue -h -t all -j "$job" -o %T)"
  case "$state" in PENDING | CONFIGURING | RUNNING | COMPLETING) sleep 0.5 ;; *) break ;; esac
done
[ "$state" = COMPLETED ] || { tail -n 20 "$work/job.log" >&2; echo "check-servers: learner job $job $state" >&2; exit 1; }
echo "check-servers: learner on the submit host used ${addrs[0]} ($node_a), learner job $job on $node_a used ${addrs[1]} ($node_b)"

server_id="$(cat "$work/servers/job")"
for node in "$node_a" "$node_b"; do
  grep -q "session ended .* steps=$steps" "$work/servers/serve-$server_id-$node.out" ||
    { echo "check-servers: the server on $node did not serve a $steps-step session" >&2; exit 1; }
done
cmp "$work/here/checkpoint.ckpt" "$work/job/checkpoint.ckpt" ||
  { echo "check-servers: the two learners' checkpoints differ" >&2; exit 1; }
# Same metrics but for the wall-clock columns (seconds, steps_per_second).
cmp <(cut -d, -f3,4 --complement "$work/here/metrics.csv") <(cut -d, -f3,4 --complement "$work/job/metrics.csv") ||
  { echo "check-servers: the two learners' metrics differ" >&2; exit 1; }

scripts/slurm/serve.sh stop "$work/servers"
trap - EXIT
for node in "$node_a" "$node_b"; do
  grep -q "server stopped liveSessions=0 liveEnvs=0" "$work/servers/serve-$server_id-$node.out" ||
    { echo "check-servers: the server on $node did not drain to zero sessions on cancel" >&2; exit 1; }
done
echo "check-servers: both servers served, same results from both nodes, both drained"
rm -rf "$work"
