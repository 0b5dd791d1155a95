"""The client as a Gymnasium citizen: make() is a gymnasium.vector.VectorEnv that Gymnasium's own
vector wrappers accept, make_env() a gymnasium.Env that passes check_env. Skipped, with the
reason, where Gymnasium is not installed (.ci/run installs it when it can)."""

import numpy as np
import pytest

gym = pytest.importorskip("gymnasium", minversion="1.1",
                          reason="Gymnasium >= 1.1 is not installed: the Gymnasium tests need it")

import zeroshot  # noqa: E402
from gymnasium.utils.env_checker import check_env  # noqa: E402
from gymnasium.vector import AutoresetMode, VectorEnv  # noqa: E402
from gymnasium.wrappers.vector import NormalizeObservation, NormalizeReward, RecordEpisodeStatistics  # noqa: E402


def test_make_is_a_vector_env_with_gymnasiums_metadata_and_spec(address):
    with zeroshot.make("CartPole-v1", address=address, num_envs=3) as env:
        assert isinstance(env, VectorEnv)
        assert env.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP
        assert isinstance(env.spec, gym.envs.registration.EnvSpec)
        assert (env.spec.id, env.spec.max_episode_steps, env.spec.reward_threshold) == ("CartPole-v1", 500, 475.0)
        assert env.server_spec.id == "CartPole-v1"
        assert isinstance(env.single_action_space, gym.spaces.Discrete)
        assert env.action_space == gym.spaces.MultiDiscrete([2, 2, 2])
        assert "CartPole-v1" in repr(env) and "num_envs=3" in repr(env)
    assert env.closed


def test_vector_wrappers_accept_it_and_episode_statistics_match_the_servers(address):
    """RecordEpisodeStatistics adds info["episode"] itself (the client adds none by default); its
    returns and lengths equal those the server counts (episode_statistics=True on a twin env)."""
    rng = np.random.default_rng(0)
    raw = zeroshot.make("CartPole-v1", address=address, num_envs=4)
    env = NormalizeReward(NormalizeObservation(RecordEpisodeStatistics(raw)))
    twin = zeroshot.make("CartPole-v1", address=address, num_envs=4, episode_statistics=True)
    try:
        obs, info = env.reset(seed=5)
        twin.reset(seed=5)
        assert obs.shape == (4, 4) and info == {}
        compared = 0
        for _ in range(300):
            actions = rng.integers(0, 2, size=4)
            obs, reward, terminated, truncated, info = env.step(actions)
            *_, twin_info = twin.step(actions)
            assert np.all(np.abs(obs.mean(axis=0)) < 10), "NormalizeObservation output"
            assert ("episode" in info) == ("episode" in twin_info)
            if "episode" in info:
                m = info["_episode"]
                assert np.array_equal(m, twin_info["_episode"])
                assert np.array_equal(info["episode"]["r"][m], twin_info["episode"]["r"][m])
                assert np.array_equal(info["episode"]["l"][m], twin_info["episode"]["l"][m])
                assert set(twin_info["episode"]) == {"r", "l", "t"}
                assert np.all(twin_info["episode"]["t"][m] >= 0)
                compared += int(m.sum())
        assert compared > 5, "the run should end episodes"
        assert len(env.env.env.return_queue) == compared
    finally:
        env.close()
        twin.close()
    assert raw.closed


def test_reset_takes_gymnasiums_seed_forms(address):
    with zeroshot.make("CartPole-v1", address=address, num_envs=4) as env:
        by_int, _ = env.reset(seed=7)
        by_list, _ = env.reset(seed=[7, 8, 9, 10])
        assert by_int.tobytes() == by_list.tobytes()
        env.reset(seed=[None] * 4)
        with pytest.raises(ValueError, match=r"not consecutive.*seed \+ i"):
            env.reset(seed=[1, 1, 1, 1])
        with pytest.raises(ValueError, match="3 seeds for 4 envs"):
            env.reset(seed=[1, 2, 3])
        assert env.np_random_seed == 7


def test_make_env_passes_check_env(address):
    env = zeroshot.make_env("CartPole-v1", address=address, context={"length": 0.7})
    try:
        assert isinstance(env, gym.Env)
        check_env(env)  # raises on any departure from Gymnasium's API
        obs, info = env.reset(seed=3)
        assert obs.shape == (4,) and obs.dtype == np.float32 and info == {}
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
            assert isinstance(reward, float) and isinstance(terminated, bool)
            total += reward
            done = terminated or truncated
        assert total >= 1
    finally:
        env.close()
    with zeroshot.make_env("Pendulum-v1", address=address) as pendulum:
        check_env(pendulum)
        assert isinstance(pendulum.action_space, gym.spaces.Box)


def test_make_env_through_gymnasium_make_from_its_spec(address):
    with zeroshot.make_env("CartPole-v1", address=address, context={"length": 0.7}) as env:
        made = gym.make(env.spec)
    try:
        obs, _ = made.reset(seed=1)
        assert obs.shape == (4,)
        assert made.unwrapped.server_spec.context["length"] == pytest.approx(0.7)
    finally:
        made.close()
