"""Spaces from their zeroshot.v1 description: Gymnasium's when Gymnasium is importable,
plain equivalents (same attributes, sample() and contains()) otherwise."""

import numpy as np

try:  # pragma: no cover - depends on the environment
    import gymnasium as _gym
    from gymnasium.vector.utils import batch_space as _gym_batch_space
except ImportError:  # pragma: no cover
    _gym = None

_DTYPES = {1: np.uint8, 2: np.int32, 3: np.int64, 4: np.float32, 5: np.float64}


def dtype_of(proto_dtype):
    """The numpy dtype of a zeroshot.v1.DType value."""
    try:
        return np.dtype(_DTYPES[int(proto_dtype)])
    except KeyError:
        raise ValueError(f"unknown dtype value {proto_dtype}") from None


def proto_dtype_of(dtype):
    dtype = np.dtype(dtype)
    for k, v in _DTYPES.items():
        if np.dtype(v) == dtype:
            return k
    raise ValueError(f"dtype {dtype} has no wire form; allowed: uint8, int32, int64, float32, float64")


class Discrete:
    """{start, ..., start + n - 1}, as gymnasium.spaces.Discrete."""

    def __init__(self, n, start=0, seed=None):
        self.n, self.start = int(n), int(start)
        self.shape, self.dtype = (), np.dtype(np.int64)
        self.np_random = np.random.default_rng(seed)

    def sample(self):
        return np.int64(self.start + self.np_random.integers(self.n))

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == () and np.issubdtype(x.dtype, np.integer) and self.start <= int(x) < self.start + self.n

    def __repr__(self):
        return f"Discrete({self.n})" if self.start == 0 else f"Discrete({self.n}, start={self.start})"


class Box:
    """Per-element bounds, as gymnasium.spaces.Box."""

    def __init__(self, low, high, shape, dtype, seed=None):
        self.shape, self.dtype = tuple(int(d) for d in shape), np.dtype(dtype)
        self.low = np.asarray(low, dtype=np.float64).reshape(self.shape).astype(self.dtype)
        self.high = np.asarray(high, dtype=np.float64).reshape(self.shape).astype(self.dtype)
        self.np_random = np.random.default_rng(seed)

    def sample(self):
        lo = np.where(np.isfinite(self.low), self.low, -1.0).astype(np.float64)
        hi = np.where(np.isfinite(self.high), self.high, 1.0).astype(np.float64)
        if np.issubdtype(self.dtype, np.integer):
            return self.np_random.integers(lo, hi + 1).astype(self.dtype)
        return self.np_random.uniform(lo, hi).astype(self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


class MultiDiscrete:
    """Independent Discrete values, as gymnasium.spaces.MultiDiscrete."""

    def __init__(self, nvec, start=None, seed=None):
        self.nvec = np.asarray(nvec, dtype=np.int64)
        self.start = np.zeros_like(self.nvec) if start is None else np.asarray(start, dtype=np.int64)
        self.shape, self.dtype = self.nvec.shape, np.dtype(np.int64)
        self.np_random = np.random.default_rng(seed)

    def sample(self):
        return (self.start + self.np_random.integers(self.nvec)).astype(np.int64)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.start) and np.all(x < self.start + self.nvec))

    def __repr__(self):
        return f"MultiDiscrete({self.nvec.tolist()})"


class Dict:
    """Named sub-spaces in key order, as gymnasium.spaces.Dict."""

    def __init__(self, spaces):
        self.spaces = dict(sorted(spaces.items()))

    def sample(self):
        return {k: s.sample() for k, s in self.spaces.items()}

    def __getitem__(self, key):
        return self.spaces[key]

    def __repr__(self):
        return "Dict(" + ", ".join(f"{k!r}: {v}" for k, v in self.spaces.items()) + ")"


def _box_bounds(b, shape):
    """A BoxSpace's bounds as float64 arrays of ``shape``: uniform_low/uniform_high repeated over
    the shape when set (a box whose elements share bounds), else the per-element low and high."""
    uniform = (b.HasField("uniform_low"), b.HasField("uniform_high"))
    if any(uniform):
        if not all(uniform) or len(b.low) or len(b.high):
            raise ValueError(f"BoxSpace has uniform_low {'set' if uniform[0] else 'unset'}, uniform_high "
                             f"{'set' if uniform[1] else 'unset'}, {len(b.low)} low and {len(b.high)} high values; "
                             "allowed: both uniform bounds and no per-element ones, or per-element low and high only")
        return np.full(shape, b.uniform_low, dtype=np.float64), np.full(shape, b.uniform_high, dtype=np.float64)
    return np.asarray(b.low, dtype=np.float64).reshape(shape), np.asarray(b.high, dtype=np.float64).reshape(shape)


def from_proto(space, use_gymnasium=True):
    """A space from a zeroshot.v1.Space message."""
    gym = _gym if use_gymnasium else None
    kind = space.WhichOneof("kind")
    if kind == "discrete":
        d = space.discrete
        return gym.spaces.Discrete(d.n, start=d.start) if gym else Discrete(d.n, d.start)
    if kind == "box":
        b = space.box
        shape = tuple(b.shape)
        dtype = dtype_of(b.dtype)
        low, high = _box_bounds(b, shape)
        if gym:
            return gym.spaces.Box(low=low.astype(dtype), high=high.astype(dtype), shape=shape, dtype=dtype)
        return Box(low, high, shape, dtype)
    if kind == "multi_discrete":
        m = space.multi_discrete
        if gym:
            return gym.spaces.MultiDiscrete(np.asarray(m.nvec, dtype=np.int64), start=np.asarray(m.start, dtype=np.int64))
        return MultiDiscrete(m.nvec, m.start)
    if kind == "dict":
        entries = {e.key: from_proto(e.space, use_gymnasium) for e in space.dict.entries}
        return gym.spaces.Dict(entries) if gym else Dict(entries)
    raise ValueError("space message has no kind set")


def batch(space, n):
    """The space of a batch of n elements (Gymnasium's batch_space)."""
    if _gym is not None and isinstance(space, _gym.spaces.Space):
        return _gym_batch_space(space, n)
    if isinstance(space, Discrete):
        return MultiDiscrete(np.full(n, space.n), np.full(n, space.start))
    if isinstance(space, Box):
        return Box(np.broadcast_to(space.low, (n,) + space.shape).astype(np.float64),
                   np.broadcast_to(space.high, (n,) + space.shape).astype(np.float64), (n,) + space.shape, space.dtype)
    if isinstance(space, MultiDiscrete):
        return MultiDiscrete(np.broadcast_to(space.nvec, (n,) + space.shape), np.broadcast_to(space.start, (n,) + space.shape))
    if isinstance(space, Dict):
        return Dict({k: batch(s, n) for k, s in space.spaces.items()})
    raise TypeError(f"cannot batch {space!r}")
