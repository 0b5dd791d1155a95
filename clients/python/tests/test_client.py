"""The Python client against a real Zeroshot server (see conftest.py)."""

import grpc
import numpy as np
import pytest

import zeroshot
from zeroshot import spaces


def test_list_and_describe(address):
    envs = {e.id: e for e in zeroshot.list_envs(address)}
    assert "CartPole-v1" in envs and "Pendulum-v1" in envs
    cp = envs["CartPole-v1"]
    assert cp.autoreset_mode == "NEXT_STEP"
    assert cp.max_episode_steps == 500
    assert cp.reward_threshold == 475.0
    length = next(f for f in cp.context_features if f.name == "length")
    assert (length.default_value, length.lower, length.upper, length.integer) == (0.5, 0.05, 5.0, False)
    maze = zeroshot.describe_env("procgen/maze-easy-v0", address)
    assert next(f for f in maze.context_features if f.name == "num_levels").integer
    d = zeroshot.describe_env("CartPole-v1", address, context={"length": 0.9}, visible_context=["length"])
    assert d.context["length"] == 0.9
    assert tuple(d.observation_space.box.shape) == (5,)


def test_list_envs_with_default_channel_options(address):
    """ListEnvs fits grpc's default 4 MiB receive limit: a channel with no options lists every env,
    and every space decodes (Procgen's image boxes travel as uniform_low/uniform_high)."""
    from zeroshot.v1 import env_service_pb2 as pb

    with grpc.insecure_channel(address) as ch:
        call = ch.unary_unary("/zeroshot.v1.EnvService/ListEnvs", request_serializer=pb.ListEnvsRequest.SerializeToString,
                              response_deserializer=pb.ListEnvsResponse.FromString)
        reply = call(pb.ListEnvsRequest(), timeout=30)
    assert reply.ByteSize() < 256 * 1024
    envs = {e.id: e for e in reply.envs}
    assert "CartPole-v1" in envs and "procgen/bigfish-easy-v0" in envs
    for e in reply.envs:
        spaces.from_proto(e.observation_space, use_gymnasium=False)
        spaces.from_proto(e.action_space, use_gymnasium=False)
    image = envs["procgen/bigfish-easy-v0"].observation_space.box
    assert image.HasField("uniform_low") and len(image.low) == 0
    box = spaces.from_proto(envs["procgen/bigfish-easy-v0"].observation_space, use_gymnasium=False)
    assert box.shape == (3, 64, 64) and box.dtype == np.uint8
    assert np.all(box.low == 0) and np.all(box.high == 255)
    assert len(envs["CartPole-v1"].observation_space.box.low) == 4  # different bounds stay per element


def test_box_bounds_uniform_or_per_element():
    from zeroshot.v1 import env_service_pb2 as pb

    uniform = pb.Space(box=pb.BoxSpace(shape=[2, 3], dtype=pb.DTYPE_FLOAT32, uniform_low=-1.5, uniform_high=2.0))
    box = spaces.from_proto(uniform, use_gymnasium=False)
    assert box.shape == (2, 3) and np.all(box.low == np.float32(-1.5)) and np.all(box.high == np.float32(2.0))
    old = pb.Space(box=pb.BoxSpace(shape=[2], dtype=pb.DTYPE_FLOAT32, low=[0, -1], high=[1, 3]))
    box = spaces.from_proto(old, use_gymnasium=False)
    assert box.low.tolist() == [0, -1] and box.high.tolist() == [1, 3]
    for bad in (pb.BoxSpace(shape=[2], dtype=pb.DTYPE_FLOAT32, uniform_low=0),
                pb.BoxSpace(shape=[2], dtype=pb.DTYPE_FLOAT32, uniform_low=0, uniform_high=1, low=[0, 0], high=[1, 1])):
        with pytest.raises(ValueError, match="allowed: both uniform bounds"):
            spaces.from_proto(pb.Space(box=bad), use_gymnasium=False)


def test_cartpole_episode(address):
    with zeroshot.make("CartPole-v1", address=address, num_envs=1, seed=3, episode_statistics=True) as env:
        mode = env.metadata["autoreset_mode"]  # Gymnasium's AutoresetMode.NEXT_STEP, or the string without it
        assert getattr(mode, "name", mode) == "NEXT_STEP"
        obs, info = env.reset()
        assert obs.shape == (1, 4) and obs.dtype == np.float32
        assert np.all(np.abs(obs) <= 0.05)
        rng = np.random.default_rng(0)
        total, steps = 0.0, 0
        while True:
            obs, reward, terminated, truncated, info = env.step(rng.integers(0, 2, size=1))
            assert reward.dtype == np.float64 and terminated.dtype == bool
            total += reward[0]
            steps += 1
            if terminated[0] or truncated[0]:
                break
            assert info == {}
        assert 1 <= steps <= 500
        assert info["_episode"][0]
        assert info["episode"]["r"][0] == total == steps
        assert info["episode"]["l"][0] == steps
        # next-step autoreset: action ignored, reward 0, flags false
        obs, reward, terminated, truncated, info = env.step(np.array([1]))
        assert reward[0] == 0.0 and not terminated[0] and not truncated[0]
        assert np.all(np.abs(obs) <= 0.05)


@pytest.mark.parametrize("env_id,context,num_envs,obs_dtype,action_dtype", [
    ("CartPole-v1", "length=0.7,masspole=0.2", 4, np.float32, np.int64),
    ("Pendulum-v1", "m=1.3", 3, np.float32, np.float32),
])
def test_bit_identical_to_the_java_in_process_env(address, java_trace, env_id, context, num_envs, obs_dtype,
                                                  action_dtype):
    seed, steps = 7, 300
    header, records = java_trace(env_id, num_envs, seed, steps, context, obs_dtype, action_dtype)
    ctx = {k: float(v) for k, v in (kv.split("=") for kv in context.split(","))}
    ended = 0
    with zeroshot.make(env_id, address=address, num_envs=num_envs, context=ctx) as env:
        obs, _ = env.reset(seed=seed)
        assert obs.reshape(num_envs, -1).tobytes() == records[0][1].tobytes()
        shape = (num_envs,) + env.single_action_space.shape
        for t in range(1, steps + 1):
            actions, want_obs, want_reward, want_term, want_trunc = records[t]
            obs, reward, terminated, truncated, _ = env.step(actions.reshape(shape))
            assert obs.reshape(num_envs, -1).tobytes() == want_obs.tobytes(), f"step {t}"
            assert reward.tobytes() == want_reward.tobytes(), f"step {t}"
            assert np.array_equal(terminated, want_term) and np.array_equal(truncated, want_trunc), f"step {t}"
            ended += int(np.sum(terminated | truncated))
    if env_id == "CartPole-v1":
        assert ended > 0, "the run should cross episode ends (autoresets)"


def test_same_seed_same_observations_new_seed_different(address):
    with zeroshot.make("CartPole-v1", address=address, num_envs=8, seed=11) as a, \
            zeroshot.make("CartPole-v1", address=address, num_envs=8) as b:
        oa, _ = a.reset()
        ob, _ = b.reset(seed=11)
        assert oa.tobytes() == ob.tobytes()
        oc, _ = b.reset(seed=12)
        assert oc.tobytes() != oa.tobytes()


def test_plain_spaces_without_gymnasium(address):
    with zeroshot.make("Pendulum-v1", address=address, num_envs=2, use_gymnasium=False) as env:
        assert isinstance(env.single_action_space, spaces.Box)
        assert env.single_action_space.shape == (1,)
        assert env.single_action_space.dtype == np.float32
        assert env.action_space.shape == (2, 1)
        env.reset(seed=0)
        a = env.action_space.sample()
        assert env.action_space.contains(a)
        obs, *_ = env.step(a)
        assert obs.shape == (2, 3)
    with zeroshot.make("CartPole-v1", address=address, num_envs=3, use_gymnasium=False) as env:
        assert isinstance(env.single_action_space, spaces.Discrete) and env.single_action_space.n == 2
        assert isinstance(env.action_space, spaces.MultiDiscrete) and env.action_space.shape == (3,)
        env.reset(seed=0)
        env.step(env.action_space.sample())


def test_sampled_contexts_and_visible_features(address):
    with zeroshot.make("CartPole-v1", address=address, num_envs=4, seed=0, sampler={"uniform": ["length"]},
                       resample_on_reset=True, visible_context=["length"]) as env:
        obs, _ = env.reset()
        lengths = obs[:, 4]
        assert obs.shape == (4, 5)
        assert np.all((lengths >= 0.05) & (lengths <= 5.0))
        assert len(set(lengths.tolist())) == 4, "each env drew its own length"


def test_bad_inputs_raise_with_the_status_code_and_message(address):
    import grpc

    with pytest.raises(zeroshot.InvalidArgumentError, match="unknown env id 'CartPol-v1'") as e:
        zeroshot.make("CartPol-v1", address=address)
    assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(zeroshot.InvalidArgumentError, match="masscart"):
        zeroshot.make("CartPole-v1", address=address, context={"masscart": 100.0})
    with pytest.raises(zeroshot.InvalidArgumentError, match="unknown context feature 'gravty'"):
        zeroshot.make("CartPole-v1", address=address, context={"gravty": 1.0})
    with pytest.raises(zeroshot.InvalidArgumentError, match="num_envs must be >= 1"):
        zeroshot.make("CartPole-v1", address=address, num_envs=0)

    env = zeroshot.make("CartPole-v1", address=address, num_envs=2)
    with pytest.raises(zeroshot.ZeroshotError, match="step called before reset") as e:
        env.step(np.array([0, 1]))
    assert e.value.code == grpc.StatusCode.FAILED_PRECONDITION
    env.close()

    env = zeroshot.make("CartPole-v1", address=address, num_envs=2, seed=0)
    env.reset()
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        env.step(np.array([0, 1, 0]))  # refused locally, the session lives on
    with pytest.raises(ValueError, match="needs integers"):
        env.step(np.array([0.5, 1.0]))
    env.step(np.array([0, 1]))
    with pytest.raises(zeroshot.InvalidArgumentError, match="action 5 out of range for Discrete\\(2\\) in env 1"):
        env.step(np.array([0, 5]))
    with pytest.raises(RuntimeError, match="session has ended"):
        env.step(np.array([0, 1]))
    env.close()

    with zeroshot.make("Pendulum-v1", address=address, num_envs=2, seed=0) as env:
        env.reset()
        with pytest.raises(zeroshot.InvalidArgumentError, match="NaN"):
            env.step(np.array([[0.0], [np.nan]], dtype=np.float32))
