"""A session made with a curriculum on the server: levels in info, score reports, refusals."""

import math

import numpy as np
import pytest

import zeroshot


def test_plr_session_hands_out_levels_and_takes_scores(address):
    with zeroshot.make("CartPole-v1", address, num_envs=4, seed=3, curriculum="plr",
                       curriculum_options={"capacity": 16}, curriculum_features="length=0.1:2.0",
                       curriculum_seed=7, episode_statistics=True) as env:
        assert env.curriculum["name"] == "plr"
        assert env.curriculum["score"] == "value_l1"
        assert env.curriculum["settings"]["capacity"] == "16"
        obs, info = env.reset()
        assert info["_level"].all()
        assert (info["level_id"] >= 0).all()
        assert all(0.1 <= lv["length"] <= 2.0 for lv in env.levels)
        playing = info["level_id"].copy()
        reported = 0
        replayed = False
        for t in range(500):
            obs, reward, terminated, truncated, info = env.step(np.full(4, t % 2))
            ended = terminated | truncated
            if ended.any():
                ids = playing[ended]
                lengths = info["episode"]["l"][ended]
                assert env.report_scores(ids, lengths / 100.0, returns=info["episode"]["r"][ended],
                                         lengths=lengths) == len(ids)
                reported += len(ids)
            # envs that reset in this step start their new level; the others keep theirs
            playing = np.where(info["_level"], info["level_id"], playing)
            replayed |= bool(info["level_replay"].any())
        assert reported > 20
        assert replayed

        with pytest.raises(zeroshot.InvalidArgumentError, match="never handed out"):
            env.report_scores([999_999], [1.0])
        with pytest.raises(zeroshot.InvalidArgumentError, match="finite"):
            env.report_scores([int(playing[0])], [math.nan])
        env.step(np.zeros(4, dtype=np.int64))  # the session goes on


def test_bad_curriculum_settings_are_invalid_argument(address):
    with pytest.raises(zeroshot.InvalidArgumentError, match="temprature"):
        zeroshot.make("CartPole-v1", address, curriculum="plr", curriculum_options={"temprature": 0.3},
                      curriculum_features="length")
    with pytest.raises(zeroshot.InvalidArgumentError, match="robust-plr"):
        zeroshot.make("CartPole-v1", address, curriculum="plrr", curriculum_features="length")


def test_sfl_on_procgen_level_seeds(address):
    with zeroshot.make("procgen/maze-easy-symbolic-v0", address, num_envs=2, seed=1,
                       context={"start_level": 0, "num_levels": 200}, curriculum="sfl",
                       curriculum_options={"candidates": 4, "candidate-episodes": 1, "buffer-size": 2}) as env:
        assert env.curriculum["score"] == "learnability"
        _, info = env.reset()
        seeds = [lv["start_level"] for lv in env.levels]
        assert all(0 <= s < 200 for s in seeds)
        assert all(lv["num_levels"] == 1 for lv in env.levels)
        assert env.report_scores(info["level_id"], [0.0, 0.0], successes=[True, False]) == 2


def test_curriculum_session_takes_the_messages(address):
    # shared memory is the default on loopback, but a curriculum's levels travel in the messages:
    # the session chooses them up front, and insisting on shared memory is refused with a message
    with zeroshot.make("CartPole-v1", address, num_envs=2, seed=1, curriculum="dr",
                       curriculum_features="length=0.1:2.0") as env:
        assert env.data_plane == "messages"
        _, info = env.reset()
        assert (info["level_id"] >= 0).all()
        _, _, _, _, info = env.step(np.zeros(2, dtype=np.int64))
        assert "level_id" in info
    with pytest.raises(zeroshot.InvalidArgumentError, match="shared_memory"):
        zeroshot.make("CartPole-v1", address, curriculum="dr", curriculum_features="length=0.1:2.0",
                      shared_memory=True)


def test_the_spec_makes_an_env_with_the_same_curriculum(address):
    gym = pytest.importorskip("gymnasium")
    with zeroshot.make("CartPole-v1", address, num_envs=2, curriculum="sfl", curriculum_options={"buffer-size": 8},
                       curriculum_features="length=0.1:2.0", curriculum_seed=5) as env:
        spec = env.spec
    assert spec.kwargs["curriculum"] == "sfl"
    assert spec.kwargs["curriculum_features"] == "length=0.1:2.0"
    made = gym.make(spec)
    try:
        session = made.unwrapped._vec
        assert session.curriculum["name"] == "sfl"
        assert session.curriculum["settings"]["buffer-size"] == "8"
        _, info = session.reset()
        assert info["_level"].all()
    finally:
        made.close()


def test_a_token_given_to_make_stays_out_of_the_spec(address):
    pytest.importorskip("gymnasium")
    with zeroshot.make("CartPole-v1", address, token="not-checked-here", sampler={"uniform": ["length"]}) as env:
        assert "token" not in env.spec.kwargs
        assert env.spec.kwargs["sampler"] == {"uniform": ["length"]}
