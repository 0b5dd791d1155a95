"""SweepService from Python: a simulate sweep on a matrix built here, checked against V_k computed here."""

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
