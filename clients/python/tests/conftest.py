"""The server under test: $ZEROSHOT_ADDRESS if set (CI starts one), else `zeroshot serve --port 0`
from the built jar, for the whole test session."""

import os
import pathlib
import re
import signal
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "clients" / "python"))


def jar():
    path = pathlib.Path(os.environ.get("ZEROSHOT_JAR", ROOT / "env-server" / "target" / "zeroshot.jar"))
    if not path.exists():
        pytest.fail(f"{path} not found: build it first (./mvnw -pl env-server -am package -DskipTests)")
    return path


@pytest.fixture(scope="session")
def address():
    if os.environ.get("ZEROSHOT_ADDRESS"):
        yield os.environ["ZEROSHOT_ADDRESS"]
        return
    proc = subprocess.Popen(["java", "-jar", str(jar()), "serve", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    m = re.search(r"listening on (\S+):(\d+)", line)
    if not m:
        proc.kill()
        pytest.fail(f"server did not start: {line!r}")
    yield f"{m.group(1)}:{m.group(2)}"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)


@pytest.fixture(scope="session")
def java_trace(tmp_path_factory):
    """Runs `zeroshot trace` (the Java in-process env) and parses its file."""
    import json

    import numpy as np

    def run(env_id, num_envs, seed, steps, context="", obs_dtype=np.float32, action_dtype=np.int64):
        out = tmp_path_factory.mktemp("trace") / "trace.bin"
        subprocess.run(["java", "-jar", str(jar()), "trace", env_id, "--out", str(out), "--num-envs", str(num_envs),
                        "--seed", str(seed), "--steps", str(steps), "--context", context], check=True)
        data = out.read_bytes()
        nl = data.index(b"\n")
        header = json.loads(data[:nl])
        pos = nl + 1
        n, ob, ab = header["num_envs"], header["observation_bytes"], header["action_bytes"]

        def take(k):
            nonlocal pos
            chunk = data[pos:pos + k]
            pos += k
            return chunk

        records = []
        for t in range(steps + 1):
            actions = take(n * ab) if t > 0 else None
            obs = np.frombuffer(take(n * ob), dtype=np.dtype(obs_dtype).newbyteorder("<")).reshape(n, -1)
            reward = np.frombuffer(take(8 * n), dtype="<f8")
            terminated = np.frombuffer(take(n), dtype=np.uint8).astype(bool)
            truncated = np.frombuffer(take(n), dtype=np.uint8).astype(bool)
            if actions is not None:
                actions = np.frombuffer(actions, dtype=np.dtype(action_dtype).newbyteorder("<")).reshape(n, -1)
            records.append((actions, obs, reward, terminated, truncated))
        assert pos == len(data), "trace file has trailing bytes"
        return header, records

    return run
