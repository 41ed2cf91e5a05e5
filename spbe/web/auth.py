"""Admin sign-in for the pages that change data (import, rollback, OPD mapping edits).

Accounts come from Streamlit secrets (.streamlit/secrets.toml, never in the repository) or the
environment; there is no default:

    [admin_users]                      # named accounts: account name -> password hash
    dinas-kominfo = "scrypt$16384$8$1$<salt base64>$<hash base64>"

    admin_password = "..."             # the older single password: the account "admin"
                                       # (or the environment variable SPBE_ADMIN_PASSWORD)

A hash is made with `python -m spbe hash-password` (asks twice, prints the line to paste). Format:
scrypt$N$r$p$salt$hash with salt (16 bytes) and hash (32 bytes) in standard base64, from
hashlib.scrypt(password, salt=salt, n=N, r=r, p=p, dklen=32). A plain admin_password shorter than
MIN_PASSWORD_CHARS is refused when the secret is read (the page says so); the CLI refuses to hash one.

The audit records the signed-in account name, never typed free text.

Failed sign-ins are slowed down by an exponential lockout counted per client (the browser's IP
address, recorded in state_dir()/auth_throttle.json so a reload does not reset it) and per session,
never for the whole server: a wrong guess from elsewhere never blocks the right password here. Behind
a reverse proxy (the direct peer is a loopback or private address) the last X-Forwarded-For entry,
the one the proxy itself appended, names the client.

Public API:
    admin_gate(lang, *, show_status=True) -> bool   # sign-in form until signed in; True once signed in
    current_admin() -> str | None                   # the signed-in account (for the audit log)
    sign_out() -> None
    accounts() -> Accounts                          # configured accounts and configuration problems
    configured_secret() -> str | None               # the legacy single password, if set
    hash_password(password) -> str; verify_password(password, stored) -> bool
    attempt_sign_in(account, candidate, accounts, session, client, now=None, path=None) -> Attempt
    main(argv) -> int                               # python -m spbe hash-password
"""

from __future__ import annotations

import base64
import fcntl
import getpass
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from spbe.i18n import t
from spbe.safe_text import md_escape
from spbe.settings import state_dir

_log = logging.getLogger(__name__)
ENV_SECRET = "SPBE_ADMIN_PASSWORD"
SECRET_KEY = "admin_password"
USERS_KEY = "admin_users"
LEGACY_ACCOUNT = "admin"
MIN_PASSWORD_CHARS = 12
FREE_ATTEMPTS = 3  # failures allowed before any wait
BASE_DELAY_S = 5.0  # the first wait; doubles with every further failure
MAX_DELAY_S = 900.0  # at most 15 minutes for one client
FORGET_AFTER_S = 3600.0  # failures older than this (with none since) are forgotten
MAX_CLIENTS = 5000  # throttle records kept (the oldest are dropped first)
MAX_NAME_CHARS = 80
ACCOUNT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1

SESSION_USER = "spbe_auth_user"
SESSION_FAILURES = "spbe_auth_failures"
SESSION_LAST_FAILURE = "spbe_auth_last_failure"
UNKNOWN_CLIENT = "unknown"
# a peer in these is taken to be a reverse proxy on the same machine or network (RFC 1918, RFC 4193)
PROXY_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))


@dataclass(frozen=True)
class Attempt:
    ok: bool
    locked: bool  # refused without checking the password because of earlier failures
    wait_s: float  # seconds until the next attempt is considered (0 when none)
    failures: int  # consecutive failures counted for this attempt (the larger of session and client)


@dataclass
class Accounts:
    """Account name -> stored verifier ('plain:<secret>' for the legacy password, else an scrypt hash)."""

    verifiers: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, dict]] = field(default_factory=list)  # (catalogue key, values) for the page

    @property
    def named(self) -> bool:
        return any(a != LEGACY_ACCOUNT or not v.startswith("plain:") for a, v in self.verifiers.items())


# -- password hashes -----------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """scrypt$N$r$p$salt$hash for a [admin_users] entry."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=64 * 1024 * 1024)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = str(stored).split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if not (2 <= n <= 2**20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and len(salt) >= 8 and len(digest) >= 16):
        return None
    return n, r, p, salt, digest


def verify_password(candidate: str, stored: str) -> bool:
    """Constant-time check of a candidate against a verifier (a hash, or 'plain:' for the legacy secret)."""
    if stored.startswith("plain:"):
        return hmac.compare_digest(candidate.encode("utf-8"), stored[len("plain:") :].encode("utf-8"))
    parsed = parse_hash(stored)
    if parsed is None:
        return False
    n, r, p, salt, digest = parsed
    got = hashlib.scrypt(candidate.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(digest), maxmem=128 * 1024 * 1024)
    return hmac.compare_digest(got, digest)


# -- configuration -----------------------------------------------------------------------------------------
def _secrets() -> Mapping:
    try:
        import streamlit as st

        if st.secrets.load_if_toml_exists():
            return st.secrets
    except Exception:  # no secrets file, unreadable file or no Streamlit runtime: the environment only
        pass
    return {}


def configured_secret() -> str | None:
    """The legacy admin password from Streamlit secrets, else $SPBE_ADMIN_PASSWORD; None when neither is set."""
    value = _secrets().get(SECRET_KEY)
    if isinstance(value, str) and value:
        return value
    return os.environ.get(ENV_SECRET, "") or None


def accounts() -> Accounts:
    """Every usable account, and what is wrong with the configuration (shown on the admin page)."""
    out = Accounts()
    users = _secrets().get(USERS_KEY)
    if users is not None:
        try:
            items = dict(users).items()
        except (TypeError, ValueError):
            items = []
            out.problems.append(("auth.config_users_table", {"key": USERS_KEY}))
        for name, stored in items:
            if not ACCOUNT_RE.match(str(name)):
                out.problems.append(("auth.config_bad_account", {"name": md_escape(str(name)[:40])}))
            elif not isinstance(stored, str) or parse_hash(stored) is None:
                out.problems.append(("auth.config_bad_hash", {"name": md_escape(str(name))}))
            else:
                out.verifiers[str(name)] = stored
    legacy = configured_secret()
    if legacy:
        if len(legacy) < MIN_PASSWORD_CHARS:
            out.problems.append(
                (
                    "auth.config_short",
                    {"length": len(legacy), "minimum": MIN_PASSWORD_CHARS, "env": ENV_SECRET, "secret_key": SECRET_KEY},
                )
            )
        elif LEGACY_ACCOUNT not in out.verifiers:
            out.verifiers[LEGACY_ACCOUNT] = "plain:" + legacy
    return out


# -- the per-client failure record (shared by every session and process) ---------------------------------
def throttle_path() -> Path:
    return state_dir() / "auth_throttle.json"


def _read_records(path: Path) -> dict[str, dict]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        clients = raw.get("clients", {}) if isinstance(raw, dict) else {}
        return {
            str(k): {"failures": int(v.get("failures", 0)), "last_failure": float(v.get("last_failure", 0.0))}
            for k, v in clients.items()
            if isinstance(v, dict)
        }
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _write_records(path: Path, records: dict[str, dict], now: float) -> None:
    live = {k: v for k, v in records.items() if v["failures"] and now - v["last_failure"] <= FORGET_AFTER_S}
    if len(live) > MAX_CLIENTS:
        live = dict(sorted(live.items(), key=lambda kv: -kv[1]["last_failure"])[:MAX_CLIENTS])
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"clients": live}), encoding="utf-8")
    os.replace(tmp, path)


def delay_after(failures: int) -> float:
    """Seconds to wait after this many consecutive failures: none for the first few, then doubling."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(BASE_DELAY_S * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_S)


def _effective(failures: int, last_failure: float, now: float) -> int:
    return 0 if failures and now - last_failure > FORGET_AFTER_S else failures


def _wait(failures: int, last_failure: float, now: float) -> float:
    return max(0.0, last_failure + delay_after(failures) - now) if failures else 0.0


def attempt_sign_in(
    account: str,
    candidate: str,
    known: Accounts | Mapping[str, str],
    session: MutableMapping,
    client: str = UNKNOWN_CLIENT,
    now: float | None = None,
    path: Path | None = None,
) -> Attempt:
    """Check an account's password under the lockout rules of this client and this session."""
    verifiers = known.verifiers if isinstance(known, Accounts) else dict(known)
    now = time.time() if now is None else now
    path = path or throttle_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            records = _read_records(path)
            mine = records.get(client, {"failures": 0, "last_failure": 0.0})
            c_fail = _effective(mine["failures"], mine["last_failure"], now)
            s_last = float(session.get(SESSION_LAST_FAILURE, 0.0))
            s_fail = _effective(int(session.get(SESSION_FAILURES, 0)), s_last, now)
            wait = max(_wait(c_fail, mine["last_failure"], now), _wait(s_fail, s_last, now))
            if wait > 0:
                return Attempt(ok=False, locked=True, wait_s=wait, failures=max(c_fail, s_fail))
            stored = verifiers.get(account)
            # an unknown account costs the same as a known one, so the timing does not tell which exist
            ok = verify_password(candidate, stored if stored is not None else _DUMMY_HASH) and stored is not None
            if ok:
                session[SESSION_FAILURES] = 0
                session[SESSION_LAST_FAILURE] = 0.0
                if client in records:
                    records.pop(client)
                    _write_records(path, records, now)
                return Attempt(ok=True, locked=False, wait_s=0.0, failures=0)
            c_fail, s_fail = c_fail + 1, s_fail + 1
            session[SESSION_FAILURES] = s_fail
            session[SESSION_LAST_FAILURE] = now
            records[client] = {"failures": c_fail, "last_failure": now}
            _write_records(path, records, now)
            failures = max(c_fail, s_fail)
            return Attempt(ok=False, locked=False, wait_s=delay_after(failures), failures=failures)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


_DUMMY_HASH = "scrypt$16384$8$1$" + _b64(b"spbe-dummy-salt!") + "$" + _b64(b"\0" * 32)


def lock_remaining(
    session: MutableMapping, client: str = UNKNOWN_CLIENT, now: float | None = None, path: Path | None = None
) -> float:
    """Seconds before another attempt is considered for this client and session (0 when one may be made now)."""
    now = time.time() if now is None else now
    mine = _read_records(path or throttle_path()).get(client, {"failures": 0, "last_failure": 0.0})
    c_fail = _effective(mine["failures"], mine["last_failure"], now)
    s_last = float(session.get(SESSION_LAST_FAILURE, 0.0))
    s_fail = _effective(int(session.get(SESSION_FAILURES, 0)), s_last, now)
    return max(_wait(c_fail, mine["last_failure"], now), _wait(s_fail, s_last, now))


def client_key(ip_address: str | None, headers: Mapping[str, str] | None) -> str:
    """Who is asking: the peer's IP, or behind a local reverse proxy the address that proxy appended."""
    peer = (ip_address or "").strip()
    forwarded = ""
    for k, v in (headers or {}).items():
        if str(k).lower() == "x-forwarded-for":
            forwarded = str(v)
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    try:
        address = ipaddress.ip_address(peer) if peer else None
        behind_proxy = address is None or address.is_loopback or any(address in net for net in PROXY_NETWORKS)
    except ValueError:
        behind_proxy = False
    if behind_proxy and hops:
        candidate = hops[-1]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return peer[:64] or UNKNOWN_CLIENT


def clean_name(name: str) -> str:
    """An account name as shown and recorded: printable, single line, at most MAX_NAME_CHARS."""
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


def _current_client() -> str:
    import streamlit as st

    try:
        ip = getattr(st.context, "ip_address", None)
        headers = {str(k): str(v) for k, v in dict(st.context.headers or {}).items()}
    except Exception:  # no request context (AppTest, bare mode)
        return UNKNOWN_CLIENT
    return client_key(ip if isinstance(ip, str) else None, headers)


def admin_gate(lang: str, *, show_status: bool = True) -> bool:
    """Show the sign-in form until an admin signs in; True once signed in. Call once per page run."""
    import streamlit as st

    user = current_admin()
    if user:
        if show_status:
            cols = st.columns([4, 1])
            cols[0].caption(t("auth.signed_in_as", lang, name=md_escape(user)))
            if cols[1].button(t("auth.sign_out", lang), key="auth_sign_out"):
                sign_out()
                st.rerun()
        return True

    known = accounts()
    # A viewer reads plain words; the set-up detail (variables, secrets file) goes to the server log and
    # the README (Operations), never onto a page a viewer who is not signed in can open.
    for key, values in known.problems:
        _log.warning("admin set-up problem %s %s (see README, Operations: %s, [%s])", key, values, ENV_SECRET, USERS_KEY)
        st.error(t(key, lang, **values), icon=":material/error:")
    if not known.verifiers:
        if not known.problems:
            _log.info(t("auth.not_configured", "en", env=ENV_SECRET, secret_key=SECRET_KEY, users_key=USERS_KEY))
            st.info(t("auth.not_enabled", lang), icon=":material/lock:")
        return False

    client = _current_client()
    st.subheader(t("auth.title", lang))
    st.caption(t("auth.why", lang) + " " + t("auth.name_help", lang, account=LEGACY_ACCOUNT))
    with st.form("auth_sign_in", clear_on_submit=True):
        name = st.text_input(
            t("auth.name", lang),
            max_chars=MAX_NAME_CHARS,
            key="auth_name",
        )
        password = st.text_input(t("auth.password", lang), type="password", key="auth_password")
        submitted = st.form_submit_button(t("auth.sign_in", lang), type="primary")
    if not submitted:
        remaining = lock_remaining(st.session_state, client)
        if remaining > 0:
            st.warning(t("auth.locked", lang, seconds=int(remaining + 0.999)), icon=":material/hourglass_top:")
        return False
    account = clean_name(name)
    if not account:
        st.error(t("auth.name_required", lang))
        return False
    outcome = attempt_sign_in(account, password or "", known, st.session_state, client)
    if outcome.ok:
        st.session_state[SESSION_USER] = account
        st.rerun()
    if outcome.locked:
        st.warning(t("auth.locked", lang, seconds=int(outcome.wait_s + 0.999)), icon=":material/hourglass_top:")
    elif outcome.wait_s > 0:
        st.error(t("auth.wrong_then_wait", lang, seconds=int(outcome.wait_s + 0.999)))
    else:
        st.error(t("auth.wrong", lang))
    return False


# -- command line -----------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    """python -m spbe hash-password [ACCOUNT]: asks for a password twice, prints the [admin_users] line.

    The password may also come on standard input (one line) when it is not a terminal.
    Exit 0 done; 2 too short, the two entries differ, or a bad account name."""
    account = argv[1] if len(argv) > 1 else "nama-akun"
    if not ACCOUNT_RE.match(account):
        print(f"account name {account!r}: letters, digits and . _ @ - only (at most 64)", file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        password = getpass.getpass("Kata sandi / password: ")
        if getpass.getpass("Ulangi / repeat: ") != password:
            print("the two entries differ", file=sys.stderr)
            return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_PASSWORD_CHARS:
        print(f"too short: {len(password)} characters, at least {MIN_PASSWORD_CHARS}", file=sys.stderr)
        return 2
    print(f"[{USERS_KEY}]")
    print(f'{account} = "{hash_password(password)}"')
    return 0
