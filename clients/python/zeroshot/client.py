"""The remote vector env: one gRPC Session stream to a Zeroshot server (docs/protocol.md)."""

import atexit
import ipaddress
import mmap
import socket
import os
import pathlib
import queue
import struct
import threading
import time
import weakref

import grpc
import numpy as np

from zeroshot import spaces as _spaces
from zeroshot.v1 import env_service_pb2 as pb

try:  # pragma: no cover - depends on the environment
    from gymnasium.envs.registration import EnvSpec as _EnvSpec
    from gymnasium.vector import VectorEnv as _VectorEnvBase
except ImportError:  # pragma: no cover
    _EnvSpec = None
    _VectorEnvBase = object
try:  # pragma: no cover - Gymnasium 1.1+ names the mode with an enum and its wrappers assert it
    from gymnasium.vector import AutoresetMode as _AutoresetMode
    AUTORESET_MODE = _AutoresetMode.NEXT_STEP
except ImportError:  # pragma: no cover
    AUTORESET_MODE = "NEXT_STEP"
DEFAULT_ADDRESS = "localhost:50051"
_SERVICE = "/zeroshot.v1.EnvService/"
_MAX_MESSAGE = 64 << 20

# The shared-memory region (docs/protocol.md, "Shared memory"): a 64-byte little-endian header,
# then observations, actions and 32-byte per-env result records at 64-byte aligned offsets.
_SHM_MAGIC = 0x4D48535A  # b"ZSHM"
_SHM_LAYOUT = 1
_SHM_HEADER = struct.Struct("<IIQQIIIIQQQ")  # magic, version, nonce, sequence, num_envs, obs/action/record bytes, offsets
_SHM_SEQUENCE_OFFSET = 16
# The doorbell (docs/protocol.md, "The doorbell"): a step is one byte each way on a Unix socket.
_DOORBELL_STEP = b"\x01"
_DOORBELL_DONE = b"\x01"
_RECORD = np.dtype({"names": ["reward", "episode_return", "episode_length", "terminated", "truncated",
                              "episode_ended"],
                    "formats": ["<f8", "<f8", "<i4", "u1", "u1", "u1"],
                    "offsets": [0, 8, 16, 20, 21, 22], "itemsize": 32})


class ZeroshotError(RuntimeError):
    """The server ended the session with a gRPC status; ``code`` is the grpc.StatusCode."""

    def __init__(self, code, details):
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details


class InvalidArgumentError(ZeroshotError, ValueError):
    """INVALID_ARGUMENT: the request named a bad env id, context, num_envs or action."""


def _error(e):
    code, details = e.code(), e.details()
    cls = InvalidArgumentError if code == grpc.StatusCode.INVALID_ARGUMENT else ZeroshotError
    return cls(code, details)


_ALLOWED_ADDRESSES = "allowed: HOST:PORT, HOST1:PORT1,HOST2:PORT2,... or dns:///NAME:PORT"


def _host_port(part, whole):
    host, colon, port = part.strip().rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not colon or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"server address {whole!r}: {part.strip()!r} is not HOST:PORT with a port in 1..65535; "
                         f"{_ALLOWED_ADDRESSES}")
    return host, int(port)


def _target(address):
    """The gRPC target for ``address`` and whether it names several servers (see docs/protocol.md,
    "Several servers"). A list HOST1:PORT1,HOST2:PORT2 becomes grpc's static ``ipv4:``/``ipv6:``
    target (host names looked up here, once); dns:///NAME:PORT is grpc's DNS resolver."""
    if not address or not address.strip():
        raise ValueError(f"server address is empty; {_ALLOWED_ADDRESSES}")
    address = address.strip()
    if address.startswith("dns:"):
        rest = address[len("dns:///"):] if address.startswith("dns:///") else ""
        if "," in rest or "/" in rest:
            raise ValueError(f"server address {address!r} is not dns:///NAME:PORT; {_ALLOWED_ADDRESSES}")
        _host_port(rest, address)
        return address, True
    if "," not in address:
        _host_port(address, address)
        return address, False
    families = set()
    resolved = []
    for host, port in [_host_port(part, address) for part in address.split(",")]:  # every part checked first
        try:
            family, _, _, _, sockaddr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        except socket.gaierror as e:
            raise ValueError(f"server address {address!r}: cannot resolve {host!r} ({e})") from None
        families.add(family)
        resolved.append(f"[{sockaddr[0]}]:{port}" if family == socket.AF_INET6 else f"{sockaddr[0]}:{port}")
    if len(families) > 1:
        raise ValueError(f"server address {address!r} mixes IPv4 and IPv6 servers; grpc's static lists hold one "
                         "family: give addresses of one family, or a dns:/// name")
    scheme = "ipv6" if socket.AF_INET6 in families else "ipv4"
    return f"{scheme}:{','.join(resolved)}", True


def channel(address=DEFAULT_ADDRESS, max_message_bytes=_MAX_MESSAGE, *, token=None, tls=False, tls_ca=None,
            tls_cert=None, tls_key=None):
    """A gRPC channel to the server or servers at ``address``: HOST:PORT, HOST1:PORT1,HOST2:PORT2,...
    or dns:///NAME:PORT. With several servers, grpc's own round_robin policy spreads the calls
    (one per env session) over them: envs made with ``make(..., channel=ch)`` on one channel take
    the servers in turn.

    token: a bearer token sent on every call, for a server started with ``--auth-tokens``
        (default: the ZEROSHOT_TOKEN environment variable, if set).
    tls: connect over TLS, trusting the system's CA certificates; tls_ca: over TLS, trusting the
        CA certificates in this PEM file instead (e.g. a self-signed server's certificate).
    tls_cert, tls_key: over TLS, present this PEM client certificate and its PEM private key, for a
        server started with ``--tls-client-ca`` (both or neither)."""
    target, several = _target(address)
    options = [
        ("grpc.max_receive_message_length", max_message_bytes),
        ("grpc.max_send_message_length", max_message_bytes),
    ]
    if several:
        options.append(("grpc.lb_policy_name", "round_robin"))
    token = token if token is not None else (os.environ.get(TOKEN_ENV) or None)
    if (tls_cert is None) != (tls_key is None):
        raise ValueError("a client certificate needs both tls_cert and tls_key (a PEM certificate and its PEM "
                         f"private key); got only {'tls_cert' if tls_cert is not None else 'tls_key'}")
    if tls or tls_ca is not None or tls_cert is not None:
        roots = pathlib.Path(tls_ca).read_bytes() if tls_ca is not None else None
        chain = pathlib.Path(tls_cert).read_bytes() if tls_cert is not None else None
        key = pathlib.Path(tls_key).read_bytes() if tls_key is not None else None
        creds = grpc.ssl_channel_credentials(root_certificates=roots, private_key=key, certificate_chain=chain)
        if token is not None:
            creds = grpc.composite_channel_credentials(creds, grpc.access_token_call_credentials(token))
        return grpc.secure_channel(target, creds, options=options)
    ch = grpc.insecure_channel(target, options=options)
    # grpc's call credentials need TLS; over plaintext (a private network) the token is plain metadata
    return ch if token is None else grpc.intercept_channel(ch, _BearerToken(token))


TOKEN_ENV = "ZEROSHOT_TOKEN"


class _BearerToken(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                   grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds ``authorization: Bearer TOKEN`` to every call of a plaintext channel."""

    def __init__(self, token):
        self._header = ("authorization", "Bearer " + token)

    def _details(self, d):
        return d._replace(metadata=list(d.metadata or ()) + [self._header])

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, requests):
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._details(details), requests)


_channel = channel


def list_envs(address=DEFAULT_ADDRESS, timeout=30, **security):
    """Every env the server offers, as zeroshot.v1.EnvSpec messages (default contexts).
    ``security``: token=, tls=, tls_ca=, tls_cert=, tls_key= as for :func:`channel`."""
    with _channel(address, **security) as ch:
        call = ch.unary_unary(_SERVICE + "ListEnvs", request_serializer=pb.ListEnvsRequest.SerializeToString,
                              response_deserializer=pb.ListEnvsResponse.FromString)
        try:
            return list(call(pb.ListEnvsRequest(), timeout=timeout).envs)
        except grpc.RpcError as e:
            raise _error(e) from None


def describe_env(env_id, address=DEFAULT_ADDRESS, context=None, visible_context=(), timeout=30, **security):
    """One env's zeroshot.v1.EnvSpec in a context: spaces, context features, time limit, autoreset mode.
    ``security``: token=, tls=, tls_ca=, tls_cert=, tls_key= as for :func:`channel`."""
    with _channel(address, **security) as ch:
        call = ch.unary_unary(_SERVICE + "DescribeEnv", request_serializer=pb.DescribeEnvRequest.SerializeToString,
                              response_deserializer=pb.EnvSpec.FromString)
        req = pb.DescribeEnvRequest(env_id=env_id, context=dict(context or {}), visible_context=list(visible_context))
        try:
            return call(req, timeout=timeout)
        except grpc.RpcError as e:
            raise _error(e) from None


def make(env_id, address=DEFAULT_ADDRESS, num_envs=1, context=None, seed=None, *, sampler=None,
         resample_on_reset=False, visible_context=(), max_episode_steps=None, max_message_bytes=_MAX_MESSAGE,
         use_gymnasium=True, shared_memory=None, episode_statistics=None, channel=None, token=None, tls=False,
         tls_ca=None, tls_cert=None, tls_key=None, curriculum=None, curriculum_options=None, curriculum_features="",
         curriculum_seed=0):
    """Makes ``num_envs`` envs of ``env_id`` on the server at ``address``: a
    ``gymnasium.vector.VectorEnv`` when Gymnasium is importable.

    address: HOST:PORT, or several servers as HOST1:PORT1,HOST2:PORT2,... or dns:///NAME:PORT;
        grpc's round_robin policy then picks the server of this env's session.
    channel: a channel from ``zeroshot.channel(address)`` to share among envs (``address`` and
        ``max_message_bytes`` are then the channel's); sessions on one channel to several servers
        take them in turn. The env does not close it.
    token, tls, tls_ca, tls_cert, tls_key: a bearer token (default: $ZEROSHOT_TOKEN), TLS and a
        client certificate for a protected server; see :func:`channel`.

    context: features changed from their defaults, e.g. {"length": 0.7}.
    seed: used by the first reset() that gets no seed of its own (env i gets seed + i).
    sampler: None (every env in ``context``), {"uniform": ["length", ...]} (those features drawn
        from their bounds), or {"list": [{...}, {...}], "random": False} (round-robin list).
    shared_memory: None (the default) steps through a memory-mapped file the server makes for this
        session whenever ``address`` is one server on a loopback address (this host), and through
        the messages otherwise or when the server or this process cannot share the file; True
        insists on the file (an error says why it cannot be had); False always uses messages.
        With the file, steps go through the session's doorbell socket rather than gRPC when the
        server offers one. ``env.data_plane`` says which path is in use. Results are bit-identical.
        A curriculum session always uses the messages (its levels travel in them).
    episode_statistics: put each ended episode's return, length and time in info["episode"]
        (masked by info["_episode"]), as Gymnasium's RecordEpisodeStatistics does. None (the
        default): only without Gymnasium (or with use_gymnasium=False), where that wrapper is not at
        hand; with Gymnasium, wrap the env in gymnasium.wrappers.vector.RecordEpisodeStatistics.
    curriculum: "dr", "plr", "robust-plr", "accel" or "sfl": a curriculum on the server chooses
        every episode's level (docs/curricula.md), over the context features named in
        ``curriculum_features`` ("length=0.1:2.0") and/or a Procgen game's level seeds (the
        context's start_level/num_levels); ``curriculum_options`` ({"temperature": 0.3}) change
        its preset. Every reset and step then says each env's level in info["level_id"] (the
        envs that start a new one in info["_level"]), and finished episodes go back with
        env.report_scores(...). Bad settings raise InvalidArgumentError. Not with sampler or
        shared_memory=True.
    """
    env = RemoteVectorEnv(env_id, address, num_envs, context, seed, sampler, resample_on_reset,
                          visible_context, max_episode_steps, max_message_bytes, use_gymnasium, shared_memory,
                          channel, dict(token=token, tls=tls, tls_ca=tls_ca, tls_cert=tls_cert, tls_key=tls_key),
                          episode_statistics,
                          curriculum=None if curriculum is None else dict(
                              name=curriculum, options=curriculum_options or {}, features=curriculum_features,
                              seed=curriculum_seed))
    if _EnvSpec is not None and isinstance(env.spec, _EnvSpec) and env.spec.entry_point is not None:
        # env.spec.make() makes one env with every option given here but the token (a spec gets
        # printed and saved; $ZEROSHOT_TOKEN still reaches the new env's channel)
        given = dict(sampler=sampler, resample_on_reset=resample_on_reset, max_message_bytes=max_message_bytes,
                     shared_memory=shared_memory, tls=tls, tls_ca=tls_ca, tls_cert=tls_cert, tls_key=tls_key,
                     curriculum=curriculum, curriculum_options=curriculum_options,
                     curriculum_features=curriculum_features, curriculum_seed=curriculum_seed)
        defaults = make.__kwdefaults__
        env.spec.kwargs.update({k: v for k, v in given.items() if v != defaults[k]})
    return env


# Sessions still open, ended at interpreter exit (before gRPC's threads stop) by _close_open_envs.
_OPEN_ENVS = weakref.WeakSet()
_CLOSE_TIMEOUT = 10.0


@atexit.register
def _close_open_envs():
    for env in list(_OPEN_ENVS):
        try:
            env.close()
        except Exception:  # pragma: no cover - exiting anyway
            pass


def _on_this_host(address):
    """Whether ``address`` is one server at a loopback address, the peers a server shares memory with."""
    target, several = _target(address)
    if several:
        return False
    host, port = _host_port(address, address)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0].split("%")[0]).is_loopback for i in infos)


class _SharedMemoryUnavailable(RuntimeError):
    """The shared-memory plane could not be had for this session (refused, or not mappable here)."""


class RemoteVectorEnv(_VectorEnvBase):
    """A batch of envs on a Zeroshot server, with Gymnasium's vector-env API (a subclass of
    ``gymnasium.vector.VectorEnv`` when Gymnasium is importable).

    reset(seed=None) -> (obs, info); step(actions) -> (obs, reward, terminated, truncated, info).
    Arrays are numpy, batched along the first axis. Autoreset is next-step (Gymnasium's default,
    metadata["autoreset_mode"]): the step after env i's episode ends ignores its action, resets it
    and returns reward 0. With ``episode_statistics``, info["episode"] holds the return ("r"),
    length ("l") and time ("t") of episodes that ended on this step, masked by info["_episode"].
    """

    metadata = {"autoreset_mode": AUTORESET_MODE}
    render_mode = None
    closed = False

    def __init__(self, env_id, address, num_envs, context, seed, sampler, resample_on_reset, visible_context,
                 max_episode_steps, max_message_bytes, use_gymnasium, shared_memory=None, channel=None,
                 security=None, episode_statistics=None, curriculum=None):
        several = channel is None and _target(address)[1]
        if shared_memory and several:
            raise ValueError(f"shared memory needs one server on this host; {address!r} names several servers and "
                             "the session may land on any of them: give one HOST:PORT, or leave shared_memory off")
        gymnasium_env = use_gymnasium and _EnvSpec is not None
        self._episode_statistics = (not gymnasium_env) if episode_statistics is None else bool(episode_statistics)
        self._seed = seed
        self._broken = None
        self._shm = None
        self._owns_channel = channel is None
        self._channel = _channel(address, max_message_bytes, **(security or {})) if channel is None else channel
        make_req = pb.MakeRequest(env_id=env_id, num_envs=int(num_envs), context=dict(context or {}),
                                  resample_on_reset=bool(resample_on_reset), visible_context=list(visible_context))
        if max_episode_steps is not None:
            make_req.max_episode_steps = int(max_episode_steps)
        if sampler:
            if "uniform" in sampler:
                make_req.sampler.uniform.features.extend(sampler["uniform"])
            elif "list" in sampler:
                for values in sampler["list"]:
                    make_req.sampler.list.contexts.add(values=dict(values))
                make_req.sampler.list.random = bool(sampler.get("random", False))
            else:
                raise ValueError(f"sampler must have 'uniform' or 'list', got {sorted(sampler)}")
        if curriculum is not None:
            c = make_req.curriculum
            c.name = str(curriculum["name"])
            for k, v in dict(curriculum["options"]).items():
                c.options[str(k)] = str(v).lower() if isinstance(v, bool) else str(v)
            c.features = str(curriculum["features"] or "")
            c.seed = int(curriculum["seed"])
        # a curriculum session's levels travel in the step messages: by default it takes the messages
        # up front (shared_memory=True with a curriculum is refused by the server, with a message)
        want_shared = shared_memory if shared_memory is not None else (
            curriculum is None and channel is None and _on_this_host(address))
        try:
            try:
                resp = self._open(make_req, want_shared)
            except _SharedMemoryUnavailable:
                if shared_memory:
                    raise
                resp = self._open(make_req, False)  # the default path falls back to messages, silently
        except BaseException:
            if self._owns_channel:
                self._channel.close()
            raise
        _OPEN_ENVS.add(self)
        self.server_spec = resp.spec
        self.session_id = resp.session_id
        self.num_envs = resp.num_envs
        self.single_observation_space = _spaces.from_proto(self.server_spec.observation_space, use_gymnasium)
        self.single_action_space = _spaces.from_proto(self.server_spec.action_space, use_gymnasium)
        self.observation_space = _spaces.batch(self.single_observation_space, self.num_envs)
        self.action_space = _spaces.batch(self.single_action_space, self.num_envs)
        self._action_dtype, self._action_shape = _wire_form(self.server_spec.action_space)
        self._action_proto_dtype = _spaces.proto_dtype_of(self._action_dtype)
        # the session's curriculum as the server made it (name, score, settings, levels), or None
        self.curriculum = None
        if resp.HasField("curriculum"):
            self.curriculum = dict(name=resp.curriculum.name, score=resp.curriculum.score,
                                   settings=dict(resp.curriculum.settings), levels=resp.curriculum.levels)
        self._level_id = np.full(self.num_envs, -1, dtype=np.int64)
        self._level_replay = np.zeros(self.num_envs, dtype=bool)
        self._level_train = np.ones(self.num_envs, dtype=bool)
        self._level_best = np.full(self.num_envs, np.nan)
        self.levels = [None] * self.num_envs  # each env's current level: its context (every feature)
        # Gymnasium's EnvSpec with Gymnasium (env.spec.make() makes one env of the same options, as
        # zeroshot.make_env); without Gymnasium, the server's zeroshot.v1.EnvSpec as before.
        self.spec = _gym_spec(self.server_spec, env_id, address if channel is None else None, context,
                              visible_context, max_episode_steps) if gymnasium_env else self.server_spec
        self.shared_memory_path = resp.shared_memory.path if self._shm is not None else None
        self.uses_doorbell = self._shm is not None and self._shm.doorbell is not None
        self._episode_start = np.full(self.num_envs, time.perf_counter())
        self._ended = np.zeros(self.num_envs, dtype=bool)

    def _open(self, make_req, shared):
        """Opens a Session stream and makes the envs, with the shared-memory plane if ``shared``;
        raises _SharedMemoryUnavailable (the session ended) if that plane cannot be had."""
        self._broken = None
        self._requests = queue.Queue()
        call = self._channel.stream_stream(_SERVICE + "Session",
                                           request_serializer=pb.SessionRequest.SerializeToString,
                                           response_deserializer=pb.SessionResponse.FromString)
        self._responses = call(iter(self._requests.get, None))
        self._lock = threading.Lock()
        make_req.shared_memory = bool(shared)
        try:
            answer = self._call(pb.SessionRequest(make=make_req))
            if answer.HasField("refused"):
                raise InvalidArgumentError(grpc.StatusCode.INVALID_ARGUMENT, answer.refused.message)
            resp = answer.make
        except ZeroshotError as e:
            self._responses.cancel()
            if shared and e.code == grpc.StatusCode.FAILED_PRECONDITION and "shared_memory" in e.details:
                raise _SharedMemoryUnavailable(str(e)) from e
            raise
        except BaseException:
            self._responses.cancel()
            raise
        if shared:
            try:
                self._shm = _SharedRegion(resp.shared_memory, resp.num_envs, resp.spec)
            except BaseException as e:
                self._end_session(_CLOSE_TIMEOUT)
                if isinstance(e, RuntimeError):
                    raise _SharedMemoryUnavailable(str(e)) from e
                raise
        return resp

    @property
    def data_plane(self):
        """Which path steps take: "shared memory + doorbell", "shared memory" or "messages"."""
        if self._shm is None:
            return "messages"
        return "shared memory + doorbell" if self.uses_doorbell else "shared memory"

    def __repr__(self):
        return f"RemoteVectorEnv({self.server_spec.id}, num_envs={self.num_envs}, data_plane={self.data_plane!r})"

    # ---- Gymnasium API ----

    def reset(self, *, seed=None, options=None):
        """Resets every env: with a seed env i is seeded with seed + i (a list of per-env seeds must
        be of that form, [s, s + 1, ...]); without, streams continue (the first reset uses make()'s
        seed if it had one)."""
        if options:
            raise ValueError(f"reset options {sorted(options)} are not supported: a Zeroshot env takes none "
                             "(every env is reset; contexts are set at make)")
        seed = self._one_seed(seed)
        if seed is None and self._seed is not None:
            seed, self._seed = self._seed, None
        if seed is not None and _VectorEnvBase is not object:
            super().reset(seed=seed)  # Gymnasium's own np_random, seeded as its vector envs seed it
        req = pb.ResetRequest()
        if seed is not None:
            req.seed = int(seed)
        r = self._call(pb.SessionRequest(reset=req)).reset
        self._episode_start[:] = time.perf_counter()
        obs, _, _, _, info = self._unpack(r)
        return obs, info

    def _one_seed(self, seed):
        """The protocol's one seed for Gymnasium's forms: an int, None, or a list of num_envs seeds."""
        if seed is None or isinstance(seed, (int, np.integer)):
            return seed
        seeds = list(seed)
        if len(seeds) != self.num_envs:
            raise ValueError(f"reset got {len(seeds)} seeds for {self.num_envs} envs; give one int, or one per env")
        if all(s is None for s in seeds):
            return None
        if any(s is None for s in seeds) or any(int(s) != int(seeds[0]) + i for i, s in enumerate(seeds)):
            raise ValueError(f"per-env seeds {seeds} are not consecutive: the server seeds env i with seed + i, so "
                             f"give an int or a list [s, s + 1, ..., s + {self.num_envs - 1}]")
        return int(seeds[0])

    _STEP_SHARED = pb.SessionRequest(step=pb.StepRequest())

    def step(self, actions):
        a = np.asarray(actions)
        want = (self.num_envs,) + self._action_shape
        if a.shape != want:
            raise ValueError(f"actions have shape {a.shape}; this env needs {want} (num_envs x one action)")
        if np.issubdtype(self._action_dtype, np.integer) and not np.issubdtype(a.dtype, np.integer):
            raise ValueError(f"actions have dtype {a.dtype}; {self.single_action_space} needs integers")
        if self._shm is not None:
            self._shm.actions[...] = a.reshape(self._shm.actions.shape)  # cast like the bytes path's astype
            if self._shm.doorbell is not None:
                return self._ring()
            return self._unpack(self._call(self._STEP_SHARED).step)
        data = np.ascontiguousarray(a, dtype=self._action_dtype.newbyteorder("<")).tobytes()
        tensor = pb.Tensor(dtype=self._action_proto_dtype, shape=list(want), data=data)
        r = self._call(pb.SessionRequest(step=pb.StepRequest(actions=tensor))).step
        return self._unpack(r)

    def report_scores(self, level_ids, scores, successes=None, returns=None, lengths=None):
        """Reports finished episodes to the session's curriculum: each under the level id it was
        played on (info["level_id"] before the episode's first step), with its score (as
        env.curriculum["score"] names it; SFL reads ``successes`` instead), success, return and
        length. Returns how many the server applied (all). A level this session never handed
        out, or reported twice, or a NaN score raises InvalidArgumentError, and the session goes on."""
        ids = np.atleast_1d(np.asarray(level_ids, dtype=np.int64))
        n = len(ids)

        def column(values, dtype, default):
            if values is None:
                return np.full(n, default, dtype=dtype)
            a = np.atleast_1d(np.asarray(values, dtype=dtype))
            if a.shape != (n,):
                raise ValueError(f"report_scores: {n} level ids but {a.shape[0]} values in a column")
            return a

        sc = column(scores, np.float64, 0.0)
        ok = column(successes, bool, False)
        ret = column(returns, np.float64, 0.0)
        ln = column(lengths, np.int64, 0)
        req = pb.ReportScoresRequest()
        for k in range(n):
            req.episodes.add(level_id=int(ids[k]), score=float(sc[k]), success=bool(ok[k]),
                             episode_return=float(ret[k]), length=int(ln[k]))
        r = self._call(pb.SessionRequest(report_scores=req))
        if r.HasField("refused"):
            raise InvalidArgumentError(grpc.StatusCode.INVALID_ARGUMENT, r.refused.message)
        return r.report_scores.accepted

    def close(self, **kwargs):
        """Ends the session (the server frees its envs); waits at most 10 s for the server's answer.
        An env never closed is closed at interpreter exit."""
        if self.closed:
            return
        self.closed = True
        _OPEN_ENVS.discard(self)
        try:
            self._end_session(_CLOSE_TIMEOUT)
        finally:
            if self._owns_channel:
                self._channel.close()
            if self._shm is not None:
                self._shm.close()

    def _end_session(self, timeout):
        """Sends Close and half-closes the stream, then waits up to ``timeout`` s for the call to end
        (cancelling it after that): closing never hangs on a server that does not answer."""
        ended = threading.Event()
        self._responses.add_done_callback(lambda _: ended.set())
        if self._broken is None:
            self._requests.put(pb.SessionRequest(close=pb.CloseRequest()))
        self._requests.put(None)
        # gRPC ends the call once its messages are read: a daemon thread reads them, so that this
        # thread can stop waiting after ``timeout``
        threading.Thread(target=_drain, args=(self._responses,), daemon=True).start()
        if not ended.wait(timeout):
            self._responses.cancel()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):  # pragma: no cover
        # May run in any thread or during interpreter shutdown, when gRPC's threads are gone:
        # cancel the call (the server ends the session on cancel) rather than wait for an answer.
        if getattr(self, "closed", True) or not hasattr(self, "_responses"):
            return
        self.closed = True
        try:
            self._requests.put(None)
            self._responses.cancel()
            if self._owns_channel:
                self._channel.close()
        except Exception:
            pass

    # ---- internals ----

    def _call(self, request):
        if self.closed:
            raise RuntimeError("env is closed")
        if self._broken is not None:
            raise RuntimeError(f"the session has ended: {self._broken}")
        with self._lock:
            self._requests.put(request)
            try:
                return next(self._responses)
            except grpc.RpcError as e:
                err = _error(e)
                self._broken = err
                raise err from None
            except StopIteration:
                self._broken = "server closed the stream"
                raise RuntimeError("server closed the session without answering") from None

    def _ring(self):
        """A step through the session's doorbell (docs/protocol.md, "The doorbell"): one byte out, one
        byte back once the results are in the region. Any other answer means the session failed on
        this step or ended, and its stream says why."""
        if self.closed:
            raise RuntimeError("env is closed")
        if self._broken is not None:
            raise RuntimeError(f"the session has ended: {self._broken}")
        with self._lock:
            bell = self._shm.doorbell
            try:
                bell.sendall(_DOORBELL_STEP)
                answer = bell.recv(1)
            except OSError:
                answer = b""
            if answer == _DOORBELL_DONE:
                return self._unpack_shared(self._shm.expected)
            try:
                next(self._responses)
            except grpc.RpcError as e:
                err = _error(e)
                self._broken = err
                raise err from None
            except StopIteration:
                pass
            self._broken = "the doorbell closed"
            raise RuntimeError("the server closed this session's doorbell without a step result or a status")

    def _unpack(self, r):
        if self._shm is not None:
            return self._unpack_shared(r.sequence)
        obs = _decode(r.observations, self.server_spec.observation_space)
        reward = np.asarray(r.reward, dtype=np.float64)
        terminated = np.asarray(r.terminated, dtype=bool)
        truncated = np.asarray(r.truncated, dtype=bool)
        mask = np.zeros(self.num_envs, dtype=bool)
        ret = np.zeros(self.num_envs, dtype=np.float64)
        length = np.zeros(self.num_envs, dtype=np.int64)
        if len(r.ended_envs):
            idx = np.asarray(r.ended_envs, dtype=np.int64)
            mask[idx] = True
            ret[idx] = np.asarray(r.ended_returns, dtype=np.float64)
            length[idx] = np.asarray(r.ended_lengths, dtype=np.int64)
        info = self._episode_info(mask, ret, length)
        if self.curriculum is not None:
            changed = np.zeros(self.num_envs, dtype=bool)
            for a in r.levels:
                changed[a.env] = True
                self._level_id[a.env] = a.level_id
                self._level_replay[a.env] = a.replay
                self._level_train[a.env] = a.train
                self._level_best[a.env] = a.best_return
                self.levels[a.env] = dict(a.context)
            info.update(level_id=self._level_id.copy(), level_replay=self._level_replay.copy(),
                        level_train=self._level_train.copy(), level_best_return=self._level_best.copy(),
                        _level=changed)
        return obs, reward, terminated, truncated, info

    def _episode_info(self, ended, returns, lengths):
        """info for one result: Gymnasium's RecordEpisodeStatistics form when asked for, else {}.
        An env whose episode ended on the last result was reset on this one (next-step autoreset):
        its clock restarts here, as in Gymnasium's wrapper."""
        now = time.perf_counter()
        self._episode_start[self._ended] = now
        self._ended = ended
        if not self._episode_statistics or not ended.any():
            return {}
        t = np.where(ended, np.round(now - self._episode_start, 6), 0.0)
        return {"episode": {"r": returns, "l": lengths, "t": t}, "_episode": ended}

    def _unpack_shared(self, answered):
        """The results numbered `answered` are in the region: check its sequence number, then copy them
        out (the next step overwrites the region, so the arrays returned are the caller's to keep)."""
        shm = self._shm
        seq = shm.sequence()
        if answered != shm.expected or seq != answered:
            self._broken = "shared memory out of step"
            raise RuntimeError(f"shared memory out of step: expected result {shm.expected}, the server answered "
                               f"{answered} and the region holds {seq} (another process writing the region?)")
        shm.expected += 1
        obs = _split(shm.observations.copy(), self.server_spec.observation_space)
        rec = shm.records
        reward = rec["reward"].copy()
        terminated = rec["terminated"].astype(bool)
        truncated = rec["truncated"].astype(bool)
        mask = rec["episode_ended"].astype(bool)
        ret = np.where(mask, rec["episode_return"], 0.0)
        length = np.where(mask, rec["episode_length"], 0).astype(np.int64)
        return obs, reward, terminated, truncated, self._episode_info(mask, ret, length)


class _SharedRegion:
    """The session's mapped file: numpy views of its observations, actions and result records."""

    def __init__(self, desc, num_envs, spec, doorbell=True):
        if not desc.path:
            raise RuntimeError("the server did not grant shared memory (an older server?)")
        obs_dtype, obs_shape = _wire_form(spec.observation_space)
        act_dtype, act_shape = _wire_form(spec.action_space)
        if desc.layout_version != _SHM_LAYOUT or desc.record_bytes != _RECORD.itemsize:
            raise RuntimeError(f"shared memory layout {desc.layout_version} ({desc.record_bytes}-byte records) is not "
                               f"the one this client reads ({_SHM_LAYOUT}, {_RECORD.itemsize})")
        hint = "is this client on the server's host, in the same mount namespace, as the same user?"
        try:
            fd = os.open(desc.path, os.O_RDWR)
        except OSError as e:
            raise RuntimeError(f"cannot open the server's shared memory file {desc.path} ({e}): {hint}") from None
        try:
            if os.fstat(fd).st_size != desc.size:
                raise RuntimeError(f"shared memory file {desc.path} has {os.fstat(fd).st_size} bytes, the server said "
                                   f"{desc.size}: {hint}")
            self._mm = mmap.mmap(fd, desc.size)
        finally:
            os.close(fd)
        head = _SHM_HEADER.unpack_from(self._mm, 0)
        if head[0] != _SHM_MAGIC or head[2] != desc.nonce or head[4] != num_envs:
            self._mm.close()
            raise RuntimeError(f"shared memory file {desc.path} is not this session's (magic, nonce or num_envs "
                               f"differ): {hint}")
        obs_dtype, act_dtype = obs_dtype.newbyteorder("<"), act_dtype.newbyteorder("<")
        obs_count = num_envs * int(np.prod(obs_shape, dtype=np.int64))
        act_count = num_envs * int(np.prod(act_shape, dtype=np.int64))
        self.observations = np.frombuffer(self._mm, obs_dtype, obs_count, desc.observations_offset).reshape(
            (num_envs,) + obs_shape)
        self.actions = np.frombuffer(self._mm, act_dtype, act_count, desc.actions_offset).reshape(
            (num_envs,) + act_shape)
        self.records = np.frombuffer(self._mm, _RECORD, num_envs, desc.results_offset)
        self._sequence = np.frombuffer(self._mm, "<u8", 1, _SHM_SEQUENCE_OFFSET)
        self.expected = 1
        self.doorbell = _connect_doorbell(desc) if doorbell and desc.doorbell_path else None

    def sequence(self):
        return int(self._sequence[0])

    def close(self):
        # the views must go before the map can close; an array a caller still holds keeps it to the GC
        self.observations = self.actions = self.records = self._sequence = None
        if self.doorbell is not None:
            self.doorbell.close()
        try:
            self._mm.close()
        except BufferError:
            pass


def _connect_doorbell(desc):
    """Connects to the session's doorbell socket and shows it the session's nonce; None if it cannot be
    reached (steps then go over the stream)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(desc.doorbell_path)
        sock.sendall(struct.pack("<Q", desc.nonce))
        return sock
    except OSError:
        sock.close()
        return None


def _wire_form(space):
    """(numpy dtype, element shape) of one element of a space on the wire."""
    kind = space.WhichOneof("kind")
    if kind == "box":
        return _spaces.dtype_of(space.box.dtype), tuple(space.box.shape)
    if kind == "discrete":
        return np.dtype(np.int64), ()
    if kind == "multi_discrete":
        return np.dtype(np.int64), (len(space.multi_discrete.nvec),)
    return np.dtype(np.uint8), (_byte_size(space),)


def _byte_size(space):
    kind = space.WhichOneof("kind")
    if kind == "dict":
        return sum(_byte_size(e.space) for e in space.dict.entries)
    dtype, shape = _wire_form(space)
    return int(np.prod(shape, dtype=np.int64)) * dtype.itemsize


def _decode(tensor, space):
    """A batch tensor as a (writable) numpy array; a Dict space's bytes as a dict of arrays."""
    dtype = _spaces.dtype_of(tensor.dtype).newbyteorder("<")
    arr = np.frombuffer(tensor.data, dtype=dtype).reshape(tuple(tensor.shape)).copy()
    return _split(arr, space)


def _split(arr, space):
    """A batch of one space's elements: the array itself, or a Dict space's bytes as a dict of arrays."""
    if space.WhichOneof("kind") != "dict":
        return arr
    out, off = {}, 0
    for e in space.dict.entries:
        size = _byte_size(e.space)
        sub_dtype, sub_shape = _wire_form(e.space)
        chunk = np.ascontiguousarray(arr[:, off:off + size])
        out[e.key] = chunk.view(sub_dtype.newbyteorder("<")).reshape((arr.shape[0],) + sub_shape)
        off += size
    return out


def _gym_spec(server_spec, env_id, address, context, visible_context, max_episode_steps):
    """Gymnasium's EnvSpec of this env. Its entry point is zeroshot.make_env with these options, so
    ``env.spec.make()`` (and gymnasium.make(spec)) makes one env like it; there is none when the env
    came on a caller's channel (its address is unknown here)."""
    kwargs = {"env_id": env_id, "address": address, "context": dict(context or {}),
              "visible_context": list(visible_context)}
    if max_episode_steps is not None:
        kwargs["max_episode_steps"] = int(max_episode_steps)
    return _EnvSpec(id=env_id, entry_point="zeroshot.gym_env:make_env" if address is not None else None,
                    reward_threshold=server_spec.reward_threshold if server_spec.HasField("reward_threshold") else None,
                    max_episode_steps=server_spec.max_episode_steps or None, kwargs=kwargs)


def _drain(responses):
    try:
        for _ in responses:
            pass
    except grpc.RpcError:
        pass
