"""The shared-memory data plane (make(..., shared_memory=True), and the default on this host)
against the bytes path (shared_memory=False)."""

import os
import time

import numpy as np
import pytest

import zeroshot


def _same_info(a, b):
    assert a.keys() == b.keys()
    if a:
        assert np.array_equal(a["_episode"], b["_episode"])
        assert a["episode"]["r"].tobytes() == b["episode"]["r"].tobytes()
        assert a["episode"]["l"].tobytes() == b["episode"]["l"].tobytes()


@pytest.mark.parametrize("env_id,num_envs,kwargs,steps", [
    ("CartPole-v1", 8, {"context": {"length": 0.7}}, 400),
    ("Pendulum-v1", 3, {"context": {"m": 1.3}, "max_episode_steps": 60}, 250),
    ("procgen/maze-easy-v0", 2, {"max_episode_steps": 25}, 80),
])
def test_shared_memory_is_bit_identical_to_the_bytes_path(address, env_id, num_envs, kwargs, steps):
    rng = np.random.default_rng(5)
    ended = 0
    with zeroshot.make(env_id, address=address, num_envs=num_envs, use_gymnasium=False, shared_memory=False,
                       **kwargs) as plain, \
            zeroshot.make(env_id, address=address, num_envs=num_envs, use_gymnasium=False, shared_memory=True,
                          **kwargs) as shm:
        assert plain.shared_memory_path is None
        assert shm.shared_memory_path and os.path.exists(shm.shared_memory_path)
        assert os.stat(shm.shared_memory_path).st_mode & 0o077 == 0, "the region file is the server user's only"
        assert shm.uses_doorbell and not plain.uses_doorbell
        a, ia = plain.reset(seed=11)
        b, ib = shm.reset(seed=11)
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
        _same_info(ia, ib)
        space = plain.action_space
        for t in range(1, steps + 1):
            if t == steps // 2:  # reset(seed=None): the random streams continue
                a, _ = plain.reset()
                b, _ = shm.reset()
                assert a.tobytes() == b.tobytes(), f"reset at step {t}"
                continue
            if hasattr(space, "nvec"):
                actions = rng.integers(0, space.nvec)
            else:
                actions = rng.uniform(space.low, space.high).astype(np.float32)
            ra = plain.step(actions)
            rb = shm.step(actions)
            for x, y in zip(ra[:4], rb[:4]):
                assert x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes(), f"step {t}"
            _same_info(ra[4], rb[4])
            ended += int(np.sum(ra[2] | ra[3]))
        held, before = rb[0], rb[0].tobytes()  # returned arrays are copies, not views of the map
        shm.step(actions)
        assert held.tobytes() == before
    assert ended > 0, "the run should cross episode ends (autoresets)"


def test_shared_memory_file_is_deleted_when_the_session_ends(address):
    env = zeroshot.make("CartPole-v1", address=address, num_envs=4, seed=0, shared_memory=True)
    path = env.shared_memory_path
    env.reset()
    env.step(np.array([0, 1, 0, 1]))
    assert os.path.exists(path)
    assert not os.path.exists(path + ".sock"), "the doorbell socket file goes once the client is connected"
    env.close()
    deadline = time.monotonic() + 20
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not os.path.exists(path), f"{path} should be deleted when the session ends"


def test_shared_memory_bad_action_is_refused_by_the_server(address):
    import grpc

    with zeroshot.make("CartPole-v1", address=address, num_envs=2, seed=0, shared_memory=True) as env:
        assert env.uses_doorbell  # the step below goes through the doorbell; the error comes on the stream
        env.reset()
        with pytest.raises(zeroshot.InvalidArgumentError, match="action 5 out of range for Discrete\\(2\\) in env 1") as e:
            env.step(np.array([0, 5]))
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
        with pytest.raises(RuntimeError, match="session has ended"):
            env.step(np.array([0, 1]))


def test_doorbell_and_step_messages_give_the_same_results(address, monkeypatch):
    rng = np.random.default_rng(2)
    with zeroshot.make("procgen/bigfish-easy-v0", address=address, num_envs=3, use_gymnasium=False,
                       shared_memory=True) as bell:
        monkeypatch.setattr(zeroshot.client, "_connect_doorbell", lambda desc: None)
        with zeroshot.make("procgen/bigfish-easy-v0", address=address, num_envs=3, use_gymnasium=False,
                           shared_memory=True) as stream:
            assert bell.uses_doorbell and not stream.uses_doorbell
            assert bell.reset(seed=4)[0].tobytes() == stream.reset(seed=4)[0].tobytes()
            for t in range(40):
                actions = rng.integers(0, 15, size=3)
                ra, rb = bell.step(actions), stream.step(actions)
                for x, y in zip(ra[:4], rb[:4]):
                    assert x.tobytes() == y.tobytes(), f"step {t}"


def test_doorbell_step_before_reset_raises_the_sessions_status(address):
    import grpc

    with zeroshot.make("CartPole-v1", address=address, num_envs=2, shared_memory=True) as env:
        assert env.uses_doorbell
        with pytest.raises(zeroshot.ZeroshotError, match="before reset") as e:
            env.step(np.array([0, 1]))
        assert e.value.code == grpc.StatusCode.FAILED_PRECONDITION
