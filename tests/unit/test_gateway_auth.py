"""Password checks stay off the event loop; the session cookie can be HTTPS-only."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from gateway import auth

ROOT = Path(__file__).resolve().parents[2]


async def test_password_verification_runs_in_a_worker_thread(monkeypatch) -> None:  # noqa: ANN001
    seen: list[threading.Thread] = []
    real = auth.hasher

    class Spy:
        def verify(self, password_hash: str, password: str) -> bool:
            seen.append(threading.current_thread())
            return real.verify(password_hash, password)

    monkeypatch.setattr(auth, "hasher", Spy())
    good = real.hash("secret")
    assert await auth.password_matches(good, "secret") is True
    assert await auth.password_matches(good, "wrong") is False
    assert await auth.password_matches("not-a-hash", "secret") is False
    assert seen and all(t is not threading.main_thread() for t in seen)


def session_cookie(secure: str) -> str:
    """The Set-Cookie header of a page that starts a session, from a gateway with the setting."""
    code = ("from fastapi.testclient import TestClient\n"
            "from gateway.app import app\n"
            "r = TestClient(app, base_url='https://shop.example').get('/login')\n"
            "print(r.headers['set-cookie'])\n")
    env = {**os.environ, "SESSION_COOKIE_SECURE": secure,
           "MONGODB_URL": "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.lower()


def test_the_session_cookie_is_https_only_when_the_setting_says_so() -> None:
    on, off = session_cookie("true"), session_cookie("false")
    assert "oms_session=" in on and "secure" in on and "httponly" in on
    assert "oms_session=" in off and "secure" not in off
