"""Admin sign-in: secret from secrets/env only, constant-time check, lockout that a reload does not reset."""

from __future__ import annotations

from pathlib import Path

import pytest

from spbe.web import auth


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


SECRET = "rahasia-yang-benar"
ACCOUNTS = {"admin": "plain:" + SECRET}


def attempt(candidate, session, now, path, client="10.0.0.1", account="admin", accounts=None):
    return auth.attempt_sign_in(account, candidate, accounts or ACCOUNTS, session, client, now=now, path=path)


def test_wrong_then_right_password(throttle_file):
    session = {}
    wrong = attempt("tebakan", session, 1000.0, throttle_file)
    assert not wrong.ok and not wrong.locked and wrong.failures == 1
    right = attempt(SECRET, session, 1001.0, throttle_file)
    assert right.ok
    assert session[auth.SESSION_FAILURES] == 0


def test_lockout_refuses_even_the_right_password_until_the_wait_is_over(throttle_file):
    session = {}
    for i in range(auth.FREE_ATTEMPTS):
        outcome = attempt("x", session, 1000.0 + i, throttle_file)
        assert not outcome.ok
    assert outcome.wait_s == auth.BASE_DELAY_S
    last = 1000.0 + auth.FREE_ATTEMPTS - 1
    locked = attempt(SECRET, session, last + 1, throttle_file)
    assert locked.locked and not locked.ok and locked.wait_s == pytest.approx(auth.BASE_DELAY_S - 1)
    after = attempt(SECRET, session, last + auth.BASE_DELAY_S + 0.1, throttle_file)
    assert after.ok


def test_a_new_session_from_the_same_client_does_not_reset_the_lockout(throttle_file):
    """A reload gives a fresh session state; the per-client record in state_dir keeps the count."""
    for i in range(auth.FREE_ATTEMPTS + 1):
        attempt("x", {}, 2000.0 + i, throttle_file)
    fresh_session = {}
    outcome = attempt(SECRET, fresh_session, 2000.0 + auth.FREE_ATTEMPTS + 1, throttle_file)
    assert outcome.locked and not outcome.ok
    assert auth.lock_remaining(fresh_session, "10.0.0.1", now=2000.0 + auth.FREE_ATTEMPTS + 1, path=throttle_file) > 0


def test_wrong_guesses_from_another_client_never_block_the_right_password(throttle_file):
    """Issue 12: the counter was server-wide, so three guesses anywhere locked the real admin out everywhere."""
    for i in range(50):  # an attacker keeps guessing, from one address, one guess every 15 minutes or fast
        attempt("x", {}, 5000.0 + i * 900, throttle_file, client="203.0.113.9")
    now = 5000.0 + 49 * 900 + 1
    assert attempt(SECRET, {}, now, throttle_file, client="203.0.113.9").locked  # the attacker is slowed down
    mine = attempt(SECRET, {}, now, throttle_file, client="198.51.100.7")
    assert mine.ok and not mine.locked
    assert auth.lock_remaining({}, "198.51.100.7", now=now, path=throttle_file) == 0


def test_the_session_count_survives_a_client_reset(throttle_file):
    """Another browser of the same client signing in clears the client's record, not this session's failures."""
    session = {}
    for i in range(auth.FREE_ATTEMPTS):
        attempt("x", session, 3000.0 + i, throttle_file)
    throttle_file.write_text('{"clients": {}}', encoding="utf-8")
    outcome = attempt(SECRET, session, 3000.0 + auth.FREE_ATTEMPTS, throttle_file)
    assert outcome.locked


def test_old_failures_are_forgotten(throttle_file):
    session = {}
    for i in range(auth.FREE_ATTEMPTS + 3):
        attempt("x", session, 4000.0 + i, throttle_file)
    later = 4000.0 + auth.FORGET_AFTER_S + 100
    assert attempt(SECRET, session, later, throttle_file).ok


def test_corrupt_throttle_file_does_not_crash(throttle_file):
    throttle_file.parent.mkdir(parents=True)
    throttle_file.write_text("{not json", encoding="utf-8")
    assert attempt(SECRET, {}, 1.0, throttle_file).ok


def test_client_key_uses_the_peer_or_the_address_a_local_proxy_appended():
    assert auth.client_key("203.0.113.9", {"X-Forwarded-For": "1.2.3.4"}) == "203.0.113.9"  # not behind a proxy: ignored
    assert auth.client_key("127.0.0.1", {"X-Forwarded-For": "6.6.6.6, 203.0.113.9"}) == "203.0.113.9"  # spoofed head
    assert auth.client_key("127.0.0.1", {}) == "127.0.0.1"
    assert auth.client_key(None, None) == auth.UNKNOWN_CLIENT


def test_named_accounts_with_scrypt_hashes(throttle_file):
    stored = auth.hash_password("kata-sandi-kominfo-2026")
    assert stored.startswith("scrypt$") and auth.parse_hash(stored)
    accounts = {"kominfo": stored}
    assert attempt("kata-sandi-kominfo-2026", {}, 1.0, throttle_file, account="kominfo", accounts=accounts).ok
    assert not attempt("kata-sandi-kominfo-2026", {}, 2.0, throttle_file, account="lain", accounts=accounts).ok
    assert not attempt("salah-salah-salah", {}, 3.0, throttle_file, account="kominfo", accounts=accounts).ok
    assert not auth.verify_password("x", "scrypt$bukan$hash")


def test_hash_password_cli(monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("pendek\n"))
    assert auth.main(["hash-password", "kominfo"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("cukup-panjang-sekali\n"))
    assert auth.main(["hash-password", "kominfo"]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    stored = line.split(" = ", 1)[1].strip('"')
    assert auth.verify_password("cukup-panjang-sekali", stored)


def test_a_short_legacy_password_is_refused_with_a_message(monkeypatch):
    monkeypatch.setenv(auth.ENV_SECRET, "a")
    found = auth.accounts()
    assert not found.verifiers
    assert [k for k, _ in found.problems] == ["auth.config_short"]
    monkeypatch.setenv(auth.ENV_SECRET, "x" * auth.MIN_PASSWORD_CHARS)
    assert auth.accounts().verifiers == {"admin": "plain:" + "x" * auth.MIN_PASSWORD_CHARS}


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
from spbe.web.auth import admin_gate
if admin_gate("en"):
    st.success("INSIDE")
"""


def _gate_app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_string(GATE_SCRIPT, default_timeout=30)


def test_gate_without_a_configured_secret_explains_how_to_set_one(monkeypatch, tmp_path, caplog):
    """Issue 13: the set-up detail (variable, secrets file) is for the server's administrator: it is in the server
    log and the README, while the page (which any viewer can open) says plainly that admins only, none set up yet."""
    monkeypatch.delenv(auth.ENV_SECRET, raising=False)
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    with caplog.at_level("INFO", logger=auth.__name__):
        at = _gate_app().run()
    assert not at.exception
    assert auth.ENV_SECRET in caplog.text and auth.USERS_KEY in caplog.text  # how to set one: in the server log
    assert auth.ENV_SECRET in (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = " ".join(e.value for e in [*at.info, *at.error, *at.markdown, *at.caption])
    assert "admin" in at.info[0].value
    for setup_word in (auth.ENV_SECRET, auth.SECRET_KEY, auth.USERS_KEY, "secrets.toml", "hash-password"):
        assert setup_word not in shown, f"a viewer's page shows the set-up detail {setup_word!r}"
    assert not at.success


def test_gate_wrong_then_right_password(monkeypatch, tmp_path):
    monkeypatch.setenv(auth.ENV_SECRET, "kunci-uji-panjang")
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    at = _gate_app().run()
    at.text_input(key="auth_name").input("admin")
    at.text_input(key="auth_password").input("salah")
    at.button[0].click().run()
    assert not at.exception
    assert at.error and "Wrong account or password" in at.error[0].value
    assert not at.success
    at.text_input(key="auth_name").input("Budi")  # free text is no account
    at.text_input(key="auth_password").input("kunci-uji-panjang")
    at.button[0].click().run()
    assert not at.success
    at.text_input(key="auth_name").input("admin")
    at.text_input(key="auth_password").input("kunci-uji-panjang")
    at.button[0].click().run()
    assert not at.exception
    assert at.success and at.success[0].value == "INSIDE"
    assert at.session_state[auth.SESSION_USER] == "admin"  # the account, not typed free text


def test_gate_requires_a_name(monkeypatch, tmp_path):
    monkeypatch.setenv(auth.ENV_SECRET, "kunci-uji-panjang")
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    at = _gate_app().run()
    at.text_input(key="auth_password").input("kunci-uji-panjang")
    at.button[0].click().run()
    assert at.error and not at.success


def test_gate_with_a_one_character_password_says_it_is_too_short(monkeypatch, tmp_path):
    monkeypatch.setenv(auth.ENV_SECRET, "a")
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    at = _gate_app().run()
    assert not at.exception
    assert at.error and "only 1 characters" in at.error[0].value and str(auth.MIN_PASSWORD_CHARS) in at.error[0].value
    assert not at.text_input  # no sign-in form: nothing can sign in with it


def test_signed_in_name_is_escaped_in_the_caption(monkeypatch, tmp_path):
    """Issue 12 item 7: removing the escape from the signed-in name must fail a test (no backslash stripping)."""
    from spbe.safe_text import md_escape

    monkeypatch.setenv(auth.ENV_SECRET, "kunci-uji-panjang")
    monkeypatch.setenv("SPBE_STATE_DIR", str(tmp_path / "state"))
    at = _gate_app()
    at.session_state[auth.SESSION_USER] = "[x](https://evil.example)"
    at.run()
    caption = at.caption[0].value
    assert md_escape("[x](https://evil.example)") in caption and "](" not in caption
