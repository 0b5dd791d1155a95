"""Zeroshot's Python client: step Zeroshot's environments over gRPC with Gymnasium's API.

    import zeroshot
    env = zeroshot.make("CartPole-v1", address="localhost:50051", num_envs=8,
                        context={"length": 0.7}, seed=0)
    obs, info = env.reset()
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    env.close()

With Gymnasium installed, make() returns a gymnasium.vector.VectorEnv and make_env() one
gymnasium.Env.
"""

from zeroshot.client import (
    AUTORESET_MODE,
    DEFAULT_ADDRESS,
    RemoteVectorEnv,
    ZeroshotError,
    InvalidArgumentError,
    channel,
    describe_env,
    list_envs,
    make,
)


def make_env(env_id, address=DEFAULT_ADDRESS, context=None, seed=None, **options):
    """One env as a ``gymnasium.Env`` (needs Gymnasium); see :func:`zeroshot.gym_env.make_env`."""
    try:
        from zeroshot.gym_env import make_env as _make_env
    except ImportError as e:
        raise ImportError(f"zeroshot.make_env needs Gymnasium ({e}); without it use zeroshot.make(..., num_envs=1)") \
            from None
    return _make_env(env_id, address, context, seed, **options)


from zeroshot.sweeps import (
    cancel_sweep,
    get_sweep,
    run_sweep_request,
    simulate_sweep,
    start_run_sweep,
    start_simulate_sweep,
    watch_sweep,
)

__all__ = [
    "AUTORESET_MODE",
    "RemoteVectorEnv",
    "ZeroshotError",
    "InvalidArgumentError",
    "channel",
    "describe_env",
    "list_envs",
    "make",
    "make_env",
    "simulate_sweep",
    "start_simulate_sweep",
    "start_run_sweep",
    "run_sweep_request",
    "get_sweep",
    "watch_sweep",
    "cancel_sweep",
]
__version__ = "0.1.0"
