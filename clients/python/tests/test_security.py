"""A server with TLS and bearer tokens (docs/security.md), started here from the built jar with a
self-signed certificate made at test time by openssl: the right CA and token step, a wrong token is
UNAUTHENTICATED, a client trusting another CA is refused, and a token also works over plaintext;
a server that requires client certificates (--tls-client-ca) steps with one and refuses the rest."""

import re
import shutil
import signal
import subprocess

import grpc
import numpy as np
import pytest

import zeroshot
from conftest import jar


def _certificate(tmp, name):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: it makes the test certificate")
    cert, key = tmp / f"{name}.crt", tmp / f"{name}.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", f"/CN={name}", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


class _Server:
    def __init__(self, *args):
        self.proc = subprocess.Popen(["java", "-jar", str(jar()), "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (\S+):(\d+)", line)
        if not m:
            self.proc.kill()
            pytest.fail(f"server did not start: {line!r}")
        self.address = f"127.0.0.1:{m.group(2)}"

    def close(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


def _steps(**kw):
    env = zeroshot.make("CartPole-v1", num_envs=2, seed=3, use_gymnasium=False, **kw)
    try:
        env.reset()
        obs = None
        for _ in range(5):
            obs, reward, *_ = env.step(np.zeros(2, dtype=np.int64))
            assert list(reward) == [1.0, 1.0]
        return obs
    finally:
        env.close()


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("security")
    cert, key = _certificate(tmp, "server")
    other, _ = _certificate(tmp, "other")
    tokens = tmp / "tokens"
    tokens.write_text("# token identity\npy-secret alice\n")
    server = _Server("--tls-cert", str(cert), "--tls-key", str(key), "--auth-tokens", str(tokens))
    yield server.address, cert, other
    server.close()


def test_tls_and_token_step_as_a_plain_server(secured, address):
    at, cert, _ = secured
    assert np.array_equal(_steps(address=at, tls_ca=str(cert), token="py-secret"), _steps(address=address))


def test_a_wrong_or_missing_token_is_unauthenticated(secured, monkeypatch):
    at, cert, _ = secured
    monkeypatch.delenv("ZEROSHOT_TOKEN", raising=False)
    for token in ("wrong", None):
        with pytest.raises(zeroshot.ZeroshotError) as e:
            _steps(address=at, tls_ca=str(cert), token=token)
        assert e.value.code == grpc.StatusCode.UNAUTHENTICATED
    monkeypatch.setenv("ZEROSHOT_TOKEN", "py-secret")
    _steps(address=at, tls_ca=str(cert))


def test_a_client_trusting_another_ca_is_refused(secured):
    at, _, other = secured
    with pytest.raises(zeroshot.ZeroshotError) as e:
        _steps(address=at, tls_ca=str(other), token="py-secret")
    assert e.value.code == grpc.StatusCode.UNAVAILABLE


def test_a_token_over_plaintext(tmp_path):
    tokens = tmp_path / "tokens"
    tokens.write_text("plain-secret bob\n")
    server = _Server("--auth-tokens", str(tokens))
    try:
        _steps(address=server.address, token="plain-secret")
        assert len(zeroshot.list_envs(server.address, token="plain-secret")) > 0
        with pytest.raises(zeroshot.ZeroshotError) as e:
            zeroshot.list_envs(server.address, token="nope")
        assert e.value.code == grpc.StatusCode.UNAUTHENTICATED
    finally:
        server.close()


def test_a_client_certificate_for_a_server_that_requires_one(tmp_path, address):
    cert, key = _certificate(tmp_path, "server")
    client_cert, client_key = _certificate(tmp_path, "client")
    other_cert, other_key = _certificate(tmp_path, "other")
    server = _Server("--tls-cert", str(cert), "--tls-key", str(key), "--tls-client-ca", str(client_cert))
    try:
        mine = dict(address=server.address, tls_ca=str(cert), tls_cert=str(client_cert), tls_key=str(client_key))
        assert np.array_equal(_steps(**mine), _steps(address=address))
        assert len(zeroshot.list_envs(**mine)) > 0
        for refused in (dict(), dict(tls_cert=str(other_cert), tls_key=str(other_key))):
            with pytest.raises(zeroshot.ZeroshotError) as e:
                _steps(address=server.address, tls_ca=str(cert), **refused)
            assert e.value.code == grpc.StatusCode.UNAVAILABLE
        with pytest.raises(ValueError, match="needs both tls_cert and tls_key"):
            zeroshot.channel(server.address, tls_ca=str(cert), tls_cert=str(client_cert))
    finally:
        server.close()
