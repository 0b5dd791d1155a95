"""SweepService from Python: a simulate sweep on a matrix built here, checked against V_k computed here."""

import math

import numpy as np
import pytest

import zeroshot


def steep(n, slope=0.08):
    i = np.arange(n)
    diag = 0.6 + 0.4 * np.sin(i / 3.0) ** 2
    return np.clip(diag[:, None] - slope * np.abs(i[:, None] - i[None, :]), 0, None)


def v_curve(m, picks):
    return [float(np.mean(np.max(m[picks[:k]], axis=0))) for k in range(1, len(picks) + 1)]


def test_simulate_sweep_curves_match_the_matrix(address):
    m = steep(20)
    seen = []
    final = zeroshot.simulate_sweep(m, 6, strategies=["mbtl", "greedy", "oracle"], seed=1, address=address,
                                    on_progress=seen.append)
    assert final.phase == final.DONE, final
    assert any(s.phase == s.RUNNING for s in seen)
    by_name = {c.name: c for c in final.strategies}
    assert list(by_name) == ["mbtl", "greedy", "oracle"]
    for name in ("mbtl", "greedy"):
        c = by_name[name]
        assert len(c.picks) == 6 and len(set(c.picks)) == 6
        assert c.picks[0] == 9  # the middle task first (N = 20)
        np.testing.assert_allclose(list(c.values), v_curve(m, list(c.picks)), rtol=0, atol=1e-12)
        assert all(b >= a for a, b in zip(c.values, c.values[1:]))
    oracle = float(np.mean(m.max(axis=0)))
    np.testing.assert_allclose(list(by_name["oracle"].values), [oracle] * 6, rtol=0, atol=1e-12)
    assert zeroshot.get_sweep(final.sweep_id, address=address) == final


def grid_matrix(a, b, slope=0.05):
    """A two-feature transfer matrix: task i = (i // b, i % b), loss linear in the index distance per feature."""
    i = np.arange(a * b)
    r, c = i // b, i % b
    diag = 0.6 + 0.3 * np.sin(r / 2.0) ** 2 + 0.1 * np.cos(c / 3.0) ** 2
    dist = np.abs(r[:, None] - r[None, :]) + 2 * np.abs(c[:, None] - c[None, :])
    return np.clip(diag[:, None] - slope * dist, 0, None)


def greedy_coverage(a, b, k):
    """docs/mbtl.md's greedy coverage: the grid's middle, then the task that most lowers the summed
    Euclidean index distance of every task to its nearest pick (the lowest index on a tie)."""
    coords = [(i // b, i % b) for i in range(a * b)]
    dist = lambda p, q: math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2)
    picks = [((a - 1) // 2) * b + (b - 1) // 2]
    nearest = [dist(coords[picks[0]], t) for t in coords]
    while len(picks) < k:
        best, arg = math.inf, -1
        for i in range(a * b):
            if i in picks:
                continue
            total = 0.0
            for t in range(a * b):
                total += min(nearest[t], dist(coords[i], coords[t]))
            if total < best:
                best, arg = total, i
        picks.append(arg)
        nearest = [min(nearest[t], dist(coords[arg], coords[t])) for t in range(a * b)]
    return picks


def test_grid_simulate_sweep_curves_match_the_matrix(address):
    m = grid_matrix(4, 5)
    final = zeroshot.simulate_sweep(m, 6, strategies=["mbtl", "greedy", "oracle"], seed=1, address=address,
                                    grid=(4, 5))
    assert final.phase == final.DONE, final
    by_name = {c.name: c for c in final.strategies}
    assert list(by_name) == ["mbtl", "greedy", "oracle"]
    for name in ("mbtl", "greedy"):
        c = by_name[name]
        assert len(c.picks) == 6 and len(set(c.picks)) == 6
        assert c.picks[0] == 7  # the grid's middle, (1, 2); a line of 20 starts at 9
        np.testing.assert_allclose(list(c.values), v_curve(m, list(c.picks)), rtol=0, atol=1e-12)
    assert list(by_name["greedy"].picks) == greedy_coverage(4, 5, 6)
    np.testing.assert_allclose(list(by_name["oracle"].values), [float(np.mean(m.max(axis=0)))] * 6, rtol=0, atol=1e-12)
    line = zeroshot.simulate_sweep(m, 6, strategies=["greedy"], address=address)
    assert list(line.strategies[0].picks) != list(by_name["greedy"].picks)
    # "all" on a grid leaves out the line-only strategies; "AxB" works as (A, B)
    every = zeroshot.simulate_sweep(m, 2, address=address, grid="4x5")
    names = [c.name for c in every.strategies]
    assert "mbtl" in names and "greedy" in names and "equidistant" not in names and "equidistant-sweep" not in names
    with pytest.raises(zeroshot.InvalidArgumentError, match="grid 4x4 has 16 tasks but the matrix is 20 x 20"):
        zeroshot.start_simulate_sweep(m, 6, address=address, grid=(4, 4))
    with pytest.raises(zeroshot.InvalidArgumentError, match="every size must be >= 2"):
        zeroshot.start_simulate_sweep(m, 6, address=address, grid=(20, 0))
    with pytest.raises(zeroshot.InvalidArgumentError, match="'equidistant' is defined on a line of tasks only"):
        zeroshot.start_simulate_sweep(m, 6, strategies=["equidistant"], address=address, grid=(4, 5))


def test_batch_simulate_sweep_picks_rounds_of_q(address):
    m = steep(20)
    final = zeroshot.simulate_sweep(m, 8, strategies=["mbtl", "greedy"], seed=1, address=address, batch=4)
    assert final.phase == final.DONE, final
    mbtl, greedy = final.strategies
    assert len(mbtl.picks) == 8 and len(set(mbtl.picks)) == 8
    # the first round has no data: the middle, then the greedy spread
    assert list(mbtl.picks[:4]) == list(greedy.picks[:4]) and mbtl.picks[0] == 9
    np.testing.assert_allclose(list(mbtl.values), v_curve(m, list(mbtl.picks)), rtol=0, atol=1e-12)
    with pytest.raises(zeroshot.InvalidArgumentError, match="batch 9 is out of range"):
        zeroshot.start_simulate_sweep(m, 8, address=address, batch=9)


def test_bad_sweeps_and_cancel(address):
    with pytest.raises(zeroshot.InvalidArgumentError, match="K must be in 1..4"):
        zeroshot.start_simulate_sweep(steep(4), 5, address=address)
    with pytest.raises(ValueError, match="N x N"):
        zeroshot.start_simulate_sweep(np.zeros((2, 3)), 1, address=address)
    with pytest.raises(zeroshot.ZeroshotError, match="NOT_FOUND"):
        zeroshot.get_sweep("sweep-none", address=address)
    started = zeroshot.start_simulate_sweep(steep(100, 0.01), 100, strategies=["mbtl-paper", "mbtl", "mbtl-ei"],
                                            address=address)
    last = None
    for state in zeroshot.watch_sweep(started.sweep_id, address=address):
        if last is None or (state.done > 0 and last.done == 0):
            zeroshot.cancel_sweep(started.sweep_id, address=address)
        last = state
    assert last.phase == last.CANCELLED, last
    assert len(last.strategies) == 0


@pytest.fixture(scope="module")
def sweeps_server(tmp_path_factory):
    """A server that runs PPO sweeps (`zeroshot serve --sweeps DIR`), started here from the jar."""
    import re
    import signal
    import subprocess

    from conftest import jar

    root = tmp_path_factory.mktemp("sweeps")
    proc = subprocess.Popen(["java", "-jar", str(jar()), "serve", "--port", "0", "--sweeps", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    m = re.search(r"listening on (\S+):(\d+)", proc.stdout.readline())
    if not m:
        proc.kill()
        pytest.fail("server did not start")
    yield f"{m.group(1)}:{m.group(2)}", root
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)


def test_grid_run_sweep(sweeps_server):
    import json

    address, root = sweeps_server
    request = zeroshot.run_sweep_request("CartPole-v1", ("length", "masscart"), ((0.2, 1.0), (0.5, 2.0)), (2, 2),
                                         budget=2, steps_per_task=512, strategies=["mbtl", "greedy"], seed=1,
                                         eval_episodes=1)
    assert request.feature == "" and request.tasks == 0 and len(request.axes) == 2
    line = zeroshot.run_sweep_request("CartPole-v1", "length", (0.1, 2.0), 20, budget=5, steps_per_task=1024)
    assert (line.feature, line.range_from, line.range_to, line.tasks, len(line.axes)) == ("length", 0.1, 2.0, 20, 0)
    started = zeroshot.start_run_sweep("CartPole-v1", ("length", "masscart"), ((0.2, 1.0), (0.5, 2.0)), (2, 2),
                                       budget=2, steps_per_task=512, strategies=["mbtl", "greedy"], seed=1,
                                       eval_episodes=1, address=address)
    *_, final = zeroshot.watch_sweep(started.sweep_id, address=address)
    assert final.phase == final.DONE, final
    saved = json.loads((root / started.sweep_id / "sweep.json").read_text())
    settings = saved["settings"]
    assert (settings["feature"], settings["from"], settings["to"], settings["tasks"]) == ("length", 0.2, 1.0, 2)
    assert settings["moreFeatures"] == [{"feature": "masscart", "from": 0.5, "to": 2.0, "tasks": 2}]
    rows = {t["task"]: np.array(t["row"]) for t in saved["trained"]}
    assert final.trained == len(rows)
    m = np.full((4, 4), np.nan)
    for task, row in rows.items():
        m[task] = row
    by_name = {c.name: c for c in final.strategies}
    assert by_name["mbtl"].picks[0] == 0  # the 2x2 grid's middle (a line of 4 would start at 1)
    assert list(by_name["greedy"].picks) == greedy_coverage(2, 2, 2)
    for c in final.strategies:
        np.testing.assert_allclose(list(c.values), v_curve(m, list(c.picks)), rtol=0, atol=1e-12)
    with pytest.raises(zeroshot.InvalidArgumentError, match="'equidistant-sweep' is defined on a line of tasks only"):
        zeroshot.start_run_sweep("CartPole-v1", ("length", "masscart"), ((0.2, 1.0), (0.5, 2.0)), (2, 2), budget=2,
                                 steps_per_task=512, strategies=["equidistant-sweep"], address=address)
    with pytest.raises(zeroshot.InvalidArgumentError, match=r"masscart.*\[0\.1, 10\.0\]"):
        zeroshot.start_run_sweep("CartPole-v1", ("length", "masscart"), ((0.2, 1.0), (0.5, 20.0)), (2, 2), budget=2,
                                 steps_per_task=512, address=address)
