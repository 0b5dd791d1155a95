"""A script exits promptly whether or not it closes its env (an open session is ended at
interpreter exit, before gRPC's threads stop), on both data planes, and the server frees the
session's envs either way."""

import os
import pathlib
import subprocess
import sys
import time

import pytest

import zeroshot

CLIENT = pathlib.Path(__file__).resolve().parents[1]

SCRIPT = """
import sys
sys.path.insert(0, {client!r})
import numpy as np
import zeroshot
env = zeroshot.make("CartPole-v1", address={address!r}, num_envs=2, seed=0, shared_memory={shared})
env.reset()
for _ in range(20):
    env.step(np.array([0, 1]))
print(env.data_plane + "|" + (env.shared_memory_path or ""), flush=True)
{ending}
"""


@pytest.mark.parametrize("ending", ["env.close()", "pass", "del env", "raise SystemExit(3)"])
@pytest.mark.parametrize("shared", [False, None])
def test_script_exits_with_or_without_close(address, ending, shared):
    code = SCRIPT.format(client=str(CLIENT), address=address, shared=shared, ending=ending)
    for run in range(3):
        t0 = time.monotonic()
        try:  # before, a script without close() hung at exit for good; a loaded machine takes seconds
            p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=90)
        except subprocess.TimeoutExpired:
            pytest.fail(f"run {run} did not exit within 90 s ({ending})")
        took = time.monotonic() - t0
        assert p.returncode == (3 if "SystemExit" in ending else 0), p.stderr
        assert took < 45, f"run {run} took {took:.1f} s to exit"
        plane, _, path = p.stdout.strip().partition("|")
        assert plane == ("messages" if shared is False else "shared memory + doorbell"), p.stdout
        if path:  # the server deletes the region file when the session ends
            deadline = time.monotonic() + 20
            while os.path.exists(path) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert not os.path.exists(path), f"{path} outlived the script ({ending})"


def test_default_path_is_shared_memory_on_this_host_and_messages_otherwise(address):
    host, _, port = address.rpartition(":")
    with zeroshot.make("CartPole-v1", address=f"localhost:{port}", num_envs=2) as env:
        assert env.data_plane == "shared memory + doorbell" and env.shared_memory_path
    with zeroshot.make("CartPole-v1", address=address, num_envs=2, shared_memory=False) as env:
        assert env.data_plane == "messages" and env.shared_memory_path is None
    with zeroshot.channel(address) as ch:  # a caller's channel: its address is not known here
        with zeroshot.make("CartPole-v1", channel=ch, num_envs=2) as env:
            assert env.data_plane == "messages"


def test_default_path_falls_back_to_messages_when_the_region_cannot_be_mapped(address, monkeypatch):
    """A server on a loopback address whose files this process cannot see (another container,
    another user): the default path ends that session and makes one on messages, silently;
    shared_memory=True says why it cannot be had."""
    def unmappable(desc, num_envs, spec):
        raise RuntimeError(f"cannot open the server's shared memory file {desc.path} (simulated)")

    monkeypatch.setattr(zeroshot.client, "_SharedRegion", unmappable)
    with zeroshot.make("CartPole-v1", address=address, num_envs=2, seed=1) as env:
        assert env.data_plane == "messages"
        obs, _ = env.reset()
        env.step(obs[:, 0].astype(int) * 0)
    with pytest.raises(RuntimeError, match="simulated"):
        zeroshot.make("CartPole-v1", address=address, num_envs=2, shared_memory=True)
