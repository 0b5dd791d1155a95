"""MBTL sweeps in the server (zeroshot.v1.SweepService, docs/protocol.md): start a simulate sweep on
a transfer matrix (its tasks on a line or a grid) or a run sweep (PPO), watch its progress, read its
curves, cancel it."""

import grpc
import numpy as np

from zeroshot.client import DEFAULT_ADDRESS, _channel, _error
from zeroshot.v1 import sweep_service_pb2 as pb

_SERVICE = "/zeroshot.v1.SweepService/"
FINAL = (pb.SweepState.DONE, pb.SweepState.CANCELLED, pb.SweepState.FAILED)


def _unary(ch, method, request_type):
    return ch.unary_unary(_SERVICE + method, request_serializer=request_type.SerializeToString,
                          response_deserializer=pb.SweepState.FromString)


def _grid(grid):
    """(A, B, ...) or "AxB" as a list of sizes; None or () for a line."""
    if grid is None:
        return []
    if isinstance(grid, str):
        grid = grid.lower().split("x")
    sizes = [int(s) for s in grid]
    if any(s < 0 for s in sizes):
        raise ValueError(f"grid sizes must be >= 0 integers, got {grid!r}")
    return sizes


def start_simulate_sweep(matrix, steps, strategies=(), theta=None, seed=0, address=DEFAULT_ADDRESS, timeout=30,
                         grid=None, batch=1):
    """Starts `zeroshot mbtl simulate` in the server on an N x N normalized matrix (row = source,
    column = target) with budget K = steps; returns the first zeroshot.v1.SweepState (its sweep_id).
    `grid=(A, B)` (or "AxB"), as `--grid AxB`: the tasks are the points of an A x B grid, row-major
    (task i = (i // B, i % B)); A * B must be N. None: a line of N tasks. `batch=Q`, as `--batch Q`:
    the MBTL modes pick Q tasks per round (1..K)."""
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"matrix must be N x N, got shape {m.shape}")
    spec = pb.SimulateSweep(n=m.shape[0], matrix=m.ravel().tolist(), steps=steps, strategies=list(strategies),
                            seed=seed, grid=_grid(grid), batch=batch)
    if theta is not None:
        spec.theta = theta
    with _channel(address) as ch:
        try:
            return _unary(ch, "StartSweep", pb.StartSweepRequest)(pb.StartSweepRequest(simulate=spec), timeout=timeout)
        except grpc.RpcError as e:
            raise _error(e) from None


def run_sweep_request(env_id, features, ranges, tasks, budget, steps_per_task, strategies=(), with_baselines=False,
                      seed=0, eval_episodes=0, batch=1):
    """The zeroshot.v1.RunSweep of `zeroshot mbtl run --env ENV --feature F --range A:B --tasks N ...`.
    One feature (`features="length", ranges=(0.1, 2.0), tasks=20`) fills the single-feature fields;
    several (`features=("length", "masscart"), ranges=((0.1, 2.0), (0.5, 2.0)), tasks=(5, 4)`, as
    `--feature length,masscart --range 0.1:2.0,0.5:2.0 --tasks 5x4`) fill `axes`: a row-major grid.
    `batch=Q`, as `--batch Q`: the MBTL strategies pick Q tasks per round (1..K)."""
    if isinstance(features, str):
        lo, hi = ranges
        return pb.RunSweep(env_id=env_id, feature=features, range_from=lo, range_to=hi, tasks=tasks, budget=budget,
                           steps_per_task=steps_per_task, strategies=list(strategies), with_baselines=with_baselines,
                           seed=seed, eval_episodes=eval_episodes, batch=batch)
    features, ranges, tasks = list(features), list(ranges), list(tasks)
    if not (len(features) == len(ranges) == len(tasks)):
        raise ValueError(f"give one range and one task count per feature: {len(features)} feature(s), "
                         f"{len(ranges)} range(s), {len(tasks)} task count(s)")
    axes = [pb.RunSweep.Axis(feature=f, range_from=r[0], range_to=r[1], tasks=t)
            for f, r, t in zip(features, ranges, tasks)]
    return pb.RunSweep(env_id=env_id, axes=axes, budget=budget, steps_per_task=steps_per_task,
                       strategies=list(strategies), with_baselines=with_baselines, seed=seed,
                       eval_episodes=eval_episodes, batch=batch)


def start_run_sweep(env_id, features, ranges, tasks, budget, steps_per_task, strategies=(), with_baselines=False,
                    seed=0, eval_episodes=0, address=DEFAULT_ADDRESS, timeout=30, batch=1):
    """Starts `zeroshot mbtl run` (PPO on each pick) in a server started with `zeroshot serve --sweeps DIR`;
    the arguments as run_sweep_request's. Returns the first SweepState; follow it with watch_sweep."""
    request = pb.StartSweepRequest(run=run_sweep_request(env_id, features, ranges, tasks, budget, steps_per_task,
                                                         strategies, with_baselines, seed, eval_episodes, batch))
    with _channel(address) as ch:
        try:
            return _unary(ch, "StartSweep", pb.StartSweepRequest)(request, timeout=timeout)
        except grpc.RpcError as e:
            raise _error(e) from None


def get_sweep(sweep_id, address=DEFAULT_ADDRESS, timeout=30):
    """The sweep's zeroshot.v1.SweepState now."""
    with _channel(address) as ch:
        try:
            return _unary(ch, "GetSweep", pb.SweepRequest)(pb.SweepRequest(sweep_id=sweep_id), timeout=timeout)
        except grpc.RpcError as e:
            raise _error(e) from None


def cancel_sweep(sweep_id, address=DEFAULT_ADDRESS, timeout=30):
    """Asks the sweep to stop (it ends CANCELLED at its next progress step); returns its state."""
    with _channel(address) as ch:
        try:
            return _unary(ch, "CancelSweep", pb.SweepRequest)(pb.SweepRequest(sweep_id=sweep_id), timeout=timeout)
        except grpc.RpcError as e:
            raise _error(e) from None


def watch_sweep(sweep_id, address=DEFAULT_ADDRESS, timeout=None):
    """Yields the sweep's states as it progresses; the last one is final (DONE, CANCELLED or FAILED)."""
    with _channel(address) as ch:
        call = ch.unary_stream(_SERVICE + "WatchSweep", request_serializer=pb.SweepRequest.SerializeToString,
                               response_deserializer=pb.SweepState.FromString)
        try:
            yield from call(pb.SweepRequest(sweep_id=sweep_id), timeout=timeout)
        except grpc.RpcError as e:
            raise _error(e) from None


def simulate_sweep(matrix, steps, strategies=(), theta=None, seed=0, address=DEFAULT_ADDRESS, on_progress=None,
                   timeout=None, grid=None, batch=1):
    """Runs a simulate sweep to its end: the final SweepState, whose `strategies` hold each strategy's
    picks and V_k. `on_progress(state)` is called with every state on the way. `grid=(A, B)`: the
    tasks are an A x B grid; `batch=Q`: Q picks per round (see start_simulate_sweep)."""
    state = start_simulate_sweep(matrix, steps, strategies, theta, seed, address, grid=grid, batch=batch)
    for state in watch_sweep(state.sweep_id, address, timeout):
        if on_progress is not None:
            on_progress(state)
    return state
