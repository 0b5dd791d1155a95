"""Zeroshot's Python client: step Zeroshot's environments over gRPC with Gymnasium's API.

    import zeroshot
    env = zeroshot.make("CartPole-v1", address="localhost:50051", num_envs=8,
                        context={"length": 0.7}, seed=0)
    obs, info = env.reset()
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    env.close()
"""

from zeroshot.client import (
    AUTORESET_MODE,
    RemoteVectorEnv,
    ZeroshotError,
    InvalidArgumentError,
    channel,
    describe_env,
    list_envs,
    make,
)
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
    "simulate_sweep",
    "start_simulate_sweep",
    "start_run_sweep",
    "run_sweep_request",
    "get_sweep",
    "watch_sweep",
    "cancel_sweep",
]
__version__ = "0.1.0"
