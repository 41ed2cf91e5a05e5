"""Admin sign-in: secret from secrets/env only, constant-time check, lockout that a reload does not reset."""

from __future__ import annotations

import pytest

from spbe import auth


@pytest.fixture
def throttle_file(tmp_path):
    return tmp_path / "state" / "auth_throttle.json"


def test_delay_schedule_is_free_then_doubling_then_capped():
    assert [auth.delay_after(n) for n in range(auth.FREE_ATTEMPTS)] == [0.0] * auth.FREE_ATTEMPTS
    first = auth.delay_after(auth.FREE_ATTEMPTS)
    assert first == auth.BASE_DELAY_S
    assert auth.delay_after(auth.FREE_ATTEMPTS + 1) == 2 * first
    assert auth.delay_after(auth.FREE_ATTEMPTS + 2) == 4 * first
    assert auth.delay_after(100) == auth.MAX_DELAY_S


def test_wrong_then_right_password(throttle_file):
    session = {}
    wrong = auth.attempt_sign_in("tebakan", "rahasia-benar", session, now=1000.0, path=throttle_file)
    assert not wrong.ok and not wrong.locked and wrong.failures == 1
    right = auth.attempt_sign_in("rahasia-benar", "rahasia-benar", session, now=1001.0, path=throttle_file)
    assert right.ok
    assert session[auth.SESSION_FAILURES] == 0


def test_lockout_refuses_even_the_right_password_until_the_wait_is_over(throttle_file):
    session = {}
    for i in range(auth.FREE_ATTEMPTS):
        outcome = auth.attempt_sign_in("x", "secret", session, now=1000.0 + i, path=throttle_file)
        assert not outcome.ok
    assert outcome.wait_s == auth.BASE_DELAY_S
    last = 1000.0 + auth.FREE_ATTEMPTS - 1
    locked = auth.attempt_sign_in("secret", "secret", session, now=last + 1, path=throttle_file)
    assert locked.locked and not locked.ok and locked.wait_s == pytest.approx(auth.BASE_DELAY_S - 1)
    after = auth.attempt_sign_in("secret", "secret", session, now=last + auth.BASE_DELAY_S + 0.1, path=throttle_file)
    assert after.ok


def test_a_new_session_does_not_reset_the_lockout(throttle_file):
    """A reload gives a fresh session state; the global record in state_dir keeps the count."""
    for i in range(auth.FREE_ATTEMPTS + 1):
        auth.attempt_sign_in("x", "secret", {}, now=2000.0 + i, path=throttle_file)
    fresh_session = {}
    outcome = auth.attempt_sign_in("secret", "secret", fresh_session, now=2000.0 + auth.FREE_ATTEMPTS + 1, path=throttle_file)
    assert outcome.locked and not outcome.ok
    assert auth.lock_remaining(fresh_session, now=2000.0 + auth.FREE_ATTEMPTS + 1, path=throttle_file) > 0


def test_the_session_count_survives_a_global_reset(throttle_file):
    """Another browser signing in successfully clears the global record, not this session's failures."""
    session = {}
    for i in range(auth.FREE_ATTEMPTS):
        auth.attempt_sign_in("x", "secret", session, now=3000.0 + i, path=throttle_file)
    throttle_file.write_text('{"failures": 0, "last_failure": 0}', encoding="utf-8")
    outcome = auth.attempt_sign_in("secret", "secret", session, now=3000.0 + auth.FREE_ATTEMPTS, path=throttle_file)
    assert outcome.locked


def test_old_failures_are_forgotten(throttle_file):
    session = {}
    for i in range(auth.FREE_ATTEMPTS + 3):
        auth.attempt_sign_in("x", "secret", session, now=4000.0 + i, path=throttle_file)
    later = 4000.0 + auth.FORGET_AFTER_S + 100
    assert auth.attempt_sign_in("secret", "secret", session, now=later, path=throttle_file).ok


def test_corrupt_throttle_file_does_not_crash(throttle_file):
    throttle_file.parent.mkdir(parents=True)
    throttle_file.write_text("{not json", encoding="utf-8")
    assert auth.attempt_sign_in("secret", "secret", {}, now=1.0, path=throttle_file).ok


def test_secret_from_environment_and_none_by_default(monkeypatch):
    monkeypatch.delenv(auth.ENV_SECRET, raising=False)
    assert auth.configured_secret() is None  # no secrets file in the repository, no default
    monkeypatch.setenv(auth.ENV_SECRET, "dari-env")
    assert auth.configured_secret() == "dari-env"


def test_no_default_password_in_the_repository():
    from pathlib import Path

    root = Path(auth.__file__).resolve().parents[1]
    assert not (root / ".streamlit" / "secrets.toml").exists()


def test_clean_name_keeps_one_printable_line():
    assert auth.clean_name("  Budi\n\x00 Santoso\t ") == "Budi Santoso"
    assert len(auth.clean_name("x" * 500)) == auth.MAX_NAME_CHARS


def test_markdown_escape_disarms_links_and_html():
    escaped = auth.markdown_escape("<img src=x onerror=alert(1)> [klik](http://jahat)")
    assert "\\<img" in escaped and "\\[klik\\]" in escaped


GATE_SCRIPT = """
import streamlit as st
from spbe.auth import admin_gate
if admin_gate("en"):
    st.success("INSIDE")
"""


def _gate_app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_string(GATE_SCRIPT, default_timeout=30)


def test_gate_without_a_configured_secret_explains_how_to_set_one(monkeypatch, tmp_path):
    monkeypatch.delenv(auth.ENV_SECRET, raising=False)
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    at = _gate_app().run()
    assert not at.exception
    assert auth.ENV_SECRET in at.info[0].value
    assert not at.success


def test_gate_wrong_then_right_password(monkeypatch, tmp_path):
    monkeypatch.setenv(auth.ENV_SECRET, "kunci-uji")
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    at = _gate_app().run()
    at.text_input(key="auth_name").input("Budi")
    at.text_input(key="auth_password").input("salah")
    at.button[0].click().run()
    assert not at.exception
    assert at.error and "Wrong password" in at.error[0].value
    assert not at.success
    at.text_input(key="auth_name").input("Budi")
    at.text_input(key="auth_password").input("kunci-uji")
    at.button[0].click().run()
    assert not at.exception
    assert at.success and at.success[0].value == "INSIDE"
    assert at.session_state[auth.SESSION_USER] == "Budi"


def test_gate_requires_a_name(monkeypatch, tmp_path):
    monkeypatch.setenv(auth.ENV_SECRET, "kunci-uji")
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    at = _gate_app().run()
    at.text_input(key="auth_password").input("kunci-uji")
    at.button[0].click().run()
    assert at.error and not at.success
