"""One Zeroshot env as a ``gymnasium.Env`` (needs Gymnasium): a one-env session, unbatched."""

import gymnasium
import numpy as np

from zeroshot import client as _client


def make_env(env_id, address=_client.DEFAULT_ADDRESS, context=None, seed=None, **options):
    """One env of ``env_id`` on the server at ``address``, as a ``gymnasium.Env`` (it passes
    ``gymnasium.utils.env_checker.check_env``). ``options`` are :func:`zeroshot.make`'s (sampler,
    visible_context, max_episode_steps, shared_memory, token, tls, ...), except num_envs.

    Unlike the vector env it does not reset itself: after ``terminated`` or ``truncated``, call
    ``reset()`` (a step instead would restart the episode and ignore its action, as the server's
    next-step autoreset does)."""
    for bad in ("num_envs", "use_gymnasium", "episode_statistics"):
        if bad in options:
            raise TypeError(f"make_env() takes no {bad!r}: it makes one Gymnasium env")
    return RemoteEnv(_client.make(env_id, address, 1, context, seed, **options))


class RemoteEnv(gymnasium.Env):
    """A one-env Zeroshot session with Gymnasium's single-env API. Observations, rewards and
    flags are the vector env's row 0: numpy arrays (a Dict space's as a dict), a float reward and
    bool flags; info is {}."""

    metadata = {"render_modes": []}

    def __init__(self, vector_env):
        self._vec = vector_env
        self.observation_space = vector_env.single_observation_space
        self.action_space = vector_env.single_action_space
        self.spec = vector_env.spec

    @property
    def data_plane(self):
        """Which path steps take, as :attr:`zeroshot.RemoteVectorEnv.data_plane`."""
        return self._vec.data_plane

    @property
    def server_spec(self):
        """The server's zeroshot.v1.EnvSpec of this env."""
        return self._vec.server_spec

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)  # Gymnasium's np_random, seeded from the same seed
        obs, _ = self._vec.reset(seed=seed, options=options)
        return _row(obs), {}

    def step(self, action):
        obs, reward, terminated, truncated, _ = self._vec.step(_batch(action))
        return _row(obs), float(reward[0]), bool(terminated[0]), bool(truncated[0]), {}

    def close(self):
        self._vec.close()

    def __repr__(self):
        return f"RemoteEnv({self._vec.server_spec.id}, data_plane={self.data_plane!r})"


def _row(obs):
    if isinstance(obs, dict):
        return {k: v[0] for k, v in obs.items()}
    return obs[0]


def _batch(action):
    return np.asarray(action)[None, ...]
