"""Several servers behind one address (docs/protocol.md, "Several servers"): grpc's own round_robin
spreads the sessions opened on one channel over both servers in turn, with in-process results.
Both servers are started here from the built jar, so each one's log says which sessions it made."""

import re
import signal
import subprocess

import numpy as np
import pytest

import zeroshot
from conftest import jar

SESSIONS = 4


class _Server:
    def __init__(self, log_path):
        self.log_path = log_path
        self._log = open(log_path, "w")
        self.proc = subprocess.Popen(["java", "-jar", str(jar()), "serve", "--port", "0"], stdout=subprocess.PIPE,
                                     stderr=self._log, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (\S+):(\d+)", line)
        if not m:
            self.proc.kill()
            pytest.fail(f"server did not start: {line!r}")
        self.address = f"127.0.0.1:{m.group(2)}"

    def sessions_made(self):
        # logged before the make response is sent, so a returned make() is counted
        with open(self.log_path) as f:
            return f.read().count("session made id=")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        self._log.close()


@pytest.fixture
def two_servers(tmp_path):
    a, b = _Server(tmp_path / "a.log"), _Server(tmp_path / "b.log")
    yield a, b
    a.stop()
    b.stop()


def test_sessions_on_one_channel_take_both_servers_in_turn(two_servers, java_trace):
    a, b = two_servers
    seed, steps = 3, 120
    _, records = java_trace("CartPole-v1", 2, seed, steps, "length=0.5")
    with zeroshot.channel(f"{a.address},{b.address}") as ch:
        # round_robin picks among the servers it is connected to: open sessions until both are
        probes = []
        while a.sessions_made() == 0 or b.sessions_made() == 0:
            assert len(probes) < 200, "200 sessions on one channel never reached both servers"
            probes.append(zeroshot.make("CartPole-v1", channel=ch))
        for p in probes:
            p.close()
        before = a.sessions_made(), b.sessions_made()
        envs = [zeroshot.make("CartPole-v1", num_envs=2, channel=ch, use_gymnasium=False) for _ in range(SESSIONS)]
        try:
            assert a.sessions_made() - before[0] == SESSIONS // 2
            assert b.sessions_made() - before[1] == SESSIONS // 2
            for env in envs:  # every session steps as the in-process Java env does
                obs, _ = env.reset(seed=seed)
                assert obs.tobytes() == records[0][1].tobytes()
                ended = 0
                for t in range(1, steps + 1):
                    actions, want_obs, want_reward, want_term, want_trunc = records[t]
                    obs, reward, terminated, truncated, _ = env.step(actions.reshape(2))
                    assert obs.tobytes() == want_obs.tobytes(), f"step {t}"
                    assert reward.tobytes() == want_reward.tobytes(), f"step {t}"
                    assert np.array_equal(terminated, want_term) and np.array_equal(truncated, want_trunc)
                    ended += int(np.sum(terminated | truncated))
                assert ended > 0, "the run should cross episode ends (autoresets)"
        finally:
            for env in envs:
                env.close()


@pytest.mark.parametrize("bad", ["", "localhost", "h1:1,h2", "h1:99999", "dns:///a:1,b:2", "dns:envs:1"])
def test_bad_addresses_are_refused_naming_the_forms_allowed(bad):
    with pytest.raises(ValueError, match="allowed: HOST:PORT, HOST1:PORT1,HOST2:PORT2,... or dns:///NAME:PORT"):
        zeroshot.make("CartPole-v1", address=bad)


def test_shared_memory_is_refused_for_several_servers():
    with pytest.raises(ValueError, match="shared memory needs one server on this host"):
        zeroshot.make("CartPole-v1", address="127.0.0.1:1,127.0.0.1:2", shared_memory=True)
