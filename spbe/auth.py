"""Admin sign-in for the pages that change data (import, rollback, OPD mapping edits).

The secret comes from Streamlit secrets (`admin_password` in .streamlit/secrets.toml) or the
environment variable SPBE_ADMIN_PASSWORD; there is no default. Failed sign-ins are slowed down
by an exponential lockout counted twice: in the session (server-side session state) and globally
in state_dir()/auth_throttle.json, so neither a reload nor a second browser resets it.

Public API:
    admin_gate(lang, *, show_status=True) -> bool   # sign-in form until signed in; True once signed in
    current_admin() -> str | None                   # the signed-in admin's name (for the audit log)
    sign_out() -> None
    configured_secret() -> str | None
    attempt_sign_in(candidate, secret, session, now=None, path=None) -> Attempt   # pure apart from the file
"""

from __future__ import annotations

import fcntl
import hmac
import json
import os
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

from spbe.i18n import t
from spbe.safe_text import md_escape
from spbe.settings import state_dir

ENV_SECRET = "SPBE_ADMIN_PASSWORD"
SECRET_KEY = "admin_password"
FREE_ATTEMPTS = 3  # failures allowed before any wait
BASE_DELAY_S = 5.0  # the first wait; doubles with every further failure
MAX_DELAY_S = 900.0  # never lock the real admin out for more than 15 minutes
FORGET_AFTER_S = 3600.0  # failures older than this (with none since) are forgotten
MAX_NAME_CHARS = 80

SESSION_USER = "spbe_auth_user"
SESSION_FAILURES = "spbe_auth_failures"
SESSION_LAST_FAILURE = "spbe_auth_last_failure"


@dataclass(frozen=True)
class Attempt:
    ok: bool
    locked: bool  # refused without checking the password because of earlier failures
    wait_s: float  # seconds until the next attempt is considered (0 when none)
    failures: int  # consecutive failures counted for this attempt (the larger of session and global)


def delay_after(failures: int) -> float:
    """Seconds to wait after this many consecutive failures: none for the first few, then doubling."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(BASE_DELAY_S * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_S)


def configured_secret() -> str | None:
    """The admin password from Streamlit secrets, else $SPBE_ADMIN_PASSWORD; None when neither is set."""
    try:
        import streamlit as st

        if st.secrets.load_if_toml_exists():
            value = st.secrets.get(SECRET_KEY)
            if isinstance(value, str) and value:
                return value
    except Exception:  # no secrets file, unreadable file or no Streamlit runtime: fall back to the environment
        pass
    value = os.environ.get(ENV_SECRET, "")
    return value or None


# -- the global failure record (shared by every session and process) ------------------------------
def throttle_path() -> Path:
    return state_dir() / "auth_throttle.json"


def _read_record(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return {"failures": int(record.get("failures", 0)), "last_failure": float(record.get("last_failure", 0.0))}
    except (OSError, ValueError, TypeError, AttributeError):
        return {"failures": 0, "last_failure": 0.0}


def _write_record(path: Path, record: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, path)


def _effective(failures: int, last_failure: float, now: float) -> int:
    return 0 if failures and now - last_failure > FORGET_AFTER_S else failures


def _wait(failures: int, last_failure: float, now: float) -> float:
    return max(0.0, last_failure + delay_after(failures) - now) if failures else 0.0


def attempt_sign_in(
    candidate: str, secret: str, session: MutableMapping, now: float | None = None, path: Path | None = None
) -> Attempt:
    """Check a password under the lockout rules; records the outcome in session and in the global file."""
    now = time.time() if now is None else now
    path = path or throttle_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            record = _read_record(path)
            g_fail = _effective(record["failures"], record["last_failure"], now)
            s_fail = _effective(int(session.get(SESSION_FAILURES, 0)), float(session.get(SESSION_LAST_FAILURE, 0.0)), now)
            wait = max(
                _wait(g_fail, record["last_failure"], now), _wait(s_fail, float(session.get(SESSION_LAST_FAILURE, 0.0)), now)
            )
            if wait > 0:
                return Attempt(ok=False, locked=True, wait_s=wait, failures=max(g_fail, s_fail))
            ok = hmac.compare_digest(candidate.encode("utf-8"), secret.encode("utf-8"))
            if ok:
                session[SESSION_FAILURES] = 0
                session[SESSION_LAST_FAILURE] = 0.0
                if record["failures"]:
                    _write_record(path, {"failures": 0, "last_failure": 0.0})
                return Attempt(ok=True, locked=False, wait_s=0.0, failures=0)
            g_fail, s_fail = g_fail + 1, s_fail + 1
            session[SESSION_FAILURES] = s_fail
            session[SESSION_LAST_FAILURE] = now
            _write_record(path, {"failures": g_fail, "last_failure": now})
            failures = max(g_fail, s_fail)
            return Attempt(ok=False, locked=False, wait_s=delay_after(failures), failures=failures)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def lock_remaining(session: MutableMapping, now: float | None = None, path: Path | None = None) -> float:
    """Seconds before another attempt is considered (0 when one may be made now)."""
    now = time.time() if now is None else now
    record = _read_record(path or throttle_path())
    g_fail = _effective(record["failures"], record["last_failure"], now)
    s_last = float(session.get(SESSION_LAST_FAILURE, 0.0))
    s_fail = _effective(int(session.get(SESSION_FAILURES, 0)), s_last, now)
    return max(_wait(g_fail, record["last_failure"], now), _wait(s_fail, s_last, now))


def clean_name(name: str) -> str:
    """The admin's name for the audit log: printable, single line, at most MAX_NAME_CHARS."""
    name = "".join(ch for ch in str(name) if ch.isprintable()).strip()
    return " ".join(name.split())[:MAX_NAME_CHARS]


def markdown_escape(text: str) -> str:
    """Text typed by a person, safe inside Streamlit markdown: the one helper, spbe.safe_text.md_escape."""
    return md_escape(text)


# -- Streamlit ----------------------------------------------------------------------------------------
def current_admin() -> str | None:
    import streamlit as st

    return st.session_state.get(SESSION_USER)


def sign_out() -> None:
    import streamlit as st

    st.session_state.pop(SESSION_USER, None)


def admin_gate(lang: str, *, show_status: bool = True) -> bool:
    """Show the sign-in form until an admin signs in; True once signed in. Call once per page run."""
    import streamlit as st

    user = current_admin()
    if user:
        if show_status:
            cols = st.columns([4, 1])
            cols[0].caption(t("auth.signed_in_as", lang, name=markdown_escape(user)))
            if cols[1].button(t("auth.sign_out", lang), key="auth_sign_out"):
                sign_out()
                st.rerun()
        return True

    secret = configured_secret()
    if not secret:
        st.info(t("auth.not_configured", lang, env=ENV_SECRET, secret_key=SECRET_KEY), icon=":material/lock:")
        return False

    st.subheader(t("auth.title", lang))
    st.caption(t("auth.why", lang))
    with st.form("auth_sign_in", clear_on_submit=True):
        name = st.text_input(t("auth.name", lang), max_chars=MAX_NAME_CHARS, key="auth_name")
        password = st.text_input(t("auth.password", lang), type="password", key="auth_password")
        submitted = st.form_submit_button(t("auth.sign_in", lang), type="primary")
    if not submitted:
        remaining = lock_remaining(st.session_state)
        if remaining > 0:
            st.warning(t("auth.locked", lang, seconds=int(remaining + 0.999)), icon=":material/hourglass_top:")
        return False
    if not clean_name(name):
        st.error(t("auth.name_required", lang))
        return False
    outcome = attempt_sign_in(password or "", secret, st.session_state)
    if outcome.ok:
        st.session_state[SESSION_USER] = clean_name(name)
        st.rerun()
    if outcome.locked:
        st.warning(t("auth.locked", lang, seconds=int(outcome.wait_s + 0.999)), icon=":material/hourglass_top:")
    elif outcome.wait_s > 0:
        st.error(t("auth.wrong_then_wait", lang, seconds=int(outcome.wait_s + 0.999)))
    else:
        st.error(t("auth.wrong", lang))
    return False
