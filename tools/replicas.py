"""N local Streamlit replicas of the dashboard behind nginx, on loopback ports: plain processes, no containers.

    .venv/bin/python tools/replicas.py up [--replicas 2] [--port 8500] [--run-dir /tmp/spbe-replicas]
    .venv/bin/python tools/replicas.py status [--run-dir ...]
    .venv/bin/python tools/replicas.py down [--run-dir ...]
    (make replicas-up / make replicas-down / make replicas-status wrap these)

`up` builds the store once if it is absent or stale, starts replica i on 127.0.0.1:(port + i), renders
deploy/nginx/spbe.conf.template into <run-dir>/nginx.conf, starts nginx on 127.0.0.1:port, waits until
every replica and the proxy answer /_stcore/health, writes <run-dir>/cluster.json (pids, ports, paths) and
returns; the processes keep running. `down` stops exactly the processes named in cluster.json (their own
process groups), nothing else. Logs: <run-dir>/replica-<i>.log, <run-dir>/nginx-error.log.

All replicas share one store file and one state directory: SPBE_DB / SPBE_STATE_DIR from the environment,
else the app's defaults (data/spbe.duckdb, data/local/), or --db / --state-dir. An import applied through
any replica (or `python -m spbe import FILE` with the same SPBE_DB / SPBE_STATE_DIR) takes the import lock
in the state directory, writes a new store file and moves it into place; every replica opens the new file
at the start of its next script run (spbe.store.db.pin_store), so all of them serve the new version.
They also share one cookie secret (Streamlit's XSRF token and auth cookies verify on any replica).

Used by the tests (tests/test_replicas.py) and the load drill (tools/load_drill.py --replicas) through
Cluster.start() / Cluster.stop().
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from spbe.dev import e2e  # noqa: E402  (the one `streamlit run` command line)

TEMPLATE = ROOT / "deploy" / "nginx" / "spbe.conf.template"
DEFAULT_RUN_DIR = Path(os.environ.get("SPBE_REPLICAS_DIR") or "/tmp/spbe-replicas")
MAIN_CONF = """# Rendered by tools/replicas.py for a local run; do not edit (edit deploy/nginx/spbe.conf.template).
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {access};
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; }}
    default_type application/octet-stream;
{site}
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def render_site(listen: str, upstreams: list[str]) -> str:
    """deploy/nginx/spbe.conf.template with its two placeholders filled (as envsubst would)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    servers = " ".join(f"server {u} max_fails=3 fail_timeout=10s;" for u in upstreams)
    return text.replace("${SPBE_LISTEN}", listen).replace("${SPBE_UPSTREAMS}", servers)


def free_base_port(count: int, tries: int = 50) -> int:
    """A port p such that p .. p + count - 1 are all free on 127.0.0.1 right now."""
    import random
    import socket

    for _ in range(tries):
        base = random.randint(20000, 40000)
        try:
            for port in range(base, base + count):
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no {count} consecutive free ports found")


def healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _stop_group(pid: int, grace: float = 10) -> None:
    """SIGTERM the process group we started (pid is its leader), then SIGKILL after grace seconds."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass
class Cluster:
    run_dir: Path
    port: int
    db: Path
    state_dir: Path
    replica_ports: list[int] = field(default_factory=list)
    replica_pids: list[int] = field(default_factory=list)
    nginx_pid: int | None = None
    nginx_tmp: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def replica_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[i]}"

    def save(self) -> None:
        data = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
        (self.run_dir / "cluster.json").write_text(json.dumps(data, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, run_dir: Path) -> Cluster | None:
        try:
            data = json.loads((run_dir / "cluster.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        for key in ("run_dir", "db", "state_dir"):
            data[key] = Path(data[key])
        return cls(**data)

    @classmethod
    def start(
        cls,
        replicas: int = 2,
        port: int = 8500,
        run_dir: Path = DEFAULT_RUN_DIR,
        db: Path | None = None,
        state_dir: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 120,
        access_log: bool = False,
    ) -> Cluster:
        """Start the replicas and nginx; returns once all answer /_stcore/health (else stops them and raises)."""
        from spbe.settings import db_path
        from spbe.settings import state_dir as default_state_dir
        from spbe.store.build import ensure_db

        if not 1 <= replicas <= 16:
            raise ValueError("replicas must be between 1 and 16")
        nginx = nginx_binary()
        if nginx is None:
            raise FileNotFoundError("no nginx on PATH (apt-get install -y nginx)")
        run_dir = Path(run_dir)
        old = cls.load(run_dir)
        if old is not None and old.alive():
            raise RuntimeError(f"a cluster from {run_dir} is still running (tools/replicas.py down --run-dir {run_dir})")
        run_dir.mkdir(parents=True, exist_ok=True)
        db = Path(db or os.environ.get("SPBE_DB") or db_path()).resolve()
        state = Path(state_dir or os.environ.get("SPBE_STATE_DIR") or default_state_dir()).resolve()
        state.mkdir(parents=True, exist_ok=True)
        base_env = dict(os.environ, **(env or {}), SPBE_DB=str(db), SPBE_STATE_DIR=str(state), PYTHONUNBUFFERED="1")
        # One cookie secret for all replicas: Streamlit signs its XSRF cookie with it.
        secret_file = run_dir / "cookie-secret"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_hex(32), encoding="utf-8")
            secret_file.chmod(0o600)
        base_env["STREAMLIT_SERVER_COOKIE_SECRET"] = secret_file.read_text(encoding="utf-8").strip()
        # Build once here rather than N times at once in the replicas.
        old_env = {k: os.environ.get(k) for k in ("SPBE_DB", "SPBE_STATE_DIR")}
        os.environ.update(SPBE_DB=str(db), SPBE_STATE_DIR=str(state))
        try:
            ensure_db(db)
        finally:
            for k, v in old_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        # nginx's workers run as `nobody` when the master is root: their temp folders (request bodies, i.e.
        # uploads, and large responses such as Plotly's 4 MB bundle) must be reachable by that user, which a
        # run dir under a private folder (pytest's tmp) is not.
        nginx_tmp = tempfile.mkdtemp(prefix=f"spbe-nginx-{port}-")
        Path(nginx_tmp).chmod(0o755)
        cluster = cls(run_dir, port, db, state, nginx_tmp=nginx_tmp)
        try:
            for i in range(replicas):
                rport = port + 1 + i
                cmd = e2e.streamlit_command("app.py", rport)
                with open(run_dir / f"replica-{i + 1}.log", "w", encoding="utf-8") as log:
                    proc = subprocess.Popen(
                        cmd, cwd=ROOT, env=base_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                    )
                cluster.replica_ports.append(rport)
                cluster.replica_pids.append(proc.pid)
                cluster.save()
            # nginx only once the replicas answer: a proxy health check against replicas still starting would
            # mark them failed (max_fails) and send the first users elsewhere than their sticky replica.
            cluster.wait_healthy(timeout, include_proxy=False)
            site = render_site(f"127.0.0.1:{port}", [f"127.0.0.1:{p}" for p in cluster.replica_ports])
            conf = run_dir / "nginx.conf"
            access = f"{run_dir}/nginx-access.log" if access_log else "off"
            conf.write_text(MAIN_CONF.format(run=run_dir, tmp=nginx_tmp, access=access, site=site), encoding="utf-8")
            check = subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(run_dir)], capture_output=True, text=True)
            if check.returncode != 0:
                raise RuntimeError(f"nginx rejects {conf}: {check.stderr.strip()}")
            with open(run_dir / "nginx-stdout.log", "w", encoding="utf-8") as log:
                proc = subprocess.Popen(
                    [nginx, "-c", str(conf), "-p", str(run_dir)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )
            cluster.nginx_pid = proc.pid
            cluster.save()
            cluster.wait_healthy(timeout)
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def wait_healthy(self, timeout: float = 120, include_proxy: bool = True) -> None:
        deadline = time.monotonic() + timeout
        pending = [self.replica_url(i) for i in range(len(self.replica_ports))] + ([self.url] if include_proxy else [])
        while pending and time.monotonic() < deadline:
            for pid in self.pids():
                if not _alive(pid):
                    raise RuntimeError(f"process {pid} exited during start-up; logs in {self.run_dir}")
            pending = [u for u in pending if not healthy(u)]
            if pending:
                time.sleep(0.3)
        if pending:
            raise TimeoutError(f"not healthy after {timeout:.0f} s: {pending}; logs in {self.run_dir}")

    def pids(self) -> list[int]:
        return list(self.replica_pids) + ([self.nginx_pid] if self.nginx_pid else [])

    def alive(self) -> bool:
        return any(_alive(p) for p in self.pids())

    def stop(self) -> None:
        """Stop nginx and the replicas this cluster started (by pid, each its own process group)."""
        if self.nginx_pid:
            _stop_group(self.nginx_pid)
        for pid in self.replica_pids:
            _stop_group(pid)
        if self.nginx_tmp and Path(self.nginx_tmp).name.startswith("spbe-nginx-"):
            shutil.rmtree(self.nginx_tmp, ignore_errors=True)
        try:
            (self.run_dir / "cluster.json").unlink()
        except FileNotFoundError:
            pass

    def memory_mb(self) -> list[dict]:
        """Per replica: resident now (VmRSS) and at its peak (VmHWM), in MB."""
        out = []
        for pid in self.replica_pids:
            values = {}
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(("VmRSS:", "VmHWM:")):
                        values[line.split(":")[0]] = int(line.split()[1]) / 1024
            except OSError:
                pass
            out.append({"pid": pid, "rss_mb": values.get("VmRSS"), "peak_mb": values.get("VmHWM")})
        return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie of ours counts as gone
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--replicas", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--port", type=int, default=8500, help="proxy port; replica i listens on port + i (default 8500)")
    parser.add_argument(
        "--run-dir", type=Path, default=DEFAULT_RUN_DIR, help=f"pids, logs, nginx.conf (default {DEFAULT_RUN_DIR})"
    )
    parser.add_argument("--db", type=Path, help="shared store file (default $SPBE_DB or data/spbe.duckdb)")
    parser.add_argument("--state-dir", type=Path, help="shared state directory (default $SPBE_STATE_DIR or data/local)")
    parser.add_argument("--access-log", action="store_true", help="write nginx-access.log in the run dir")
    args = parser.parse_args(argv)
    run_dir = args.run_dir.resolve()
    if args.action == "up":
        cluster = Cluster.start(args.replicas, args.port, run_dir, args.db, args.state_dir, access_log=args.access_log)
        print(f"{len(cluster.replica_ports)} replicas behind nginx: {cluster.url}")
        for i, (port, pid) in enumerate(zip(cluster.replica_ports, cluster.replica_pids, strict=True), 1):
            print(f"  replica {i}: http://127.0.0.1:{port} (pid {pid}, log {run_dir}/replica-{i}.log)")
        print(f"  nginx pid {cluster.nginx_pid}; store {cluster.db}; state {cluster.state_dir}")
        print(f"  stop with: make replicas-down (or {sys.executable} tools/replicas.py down --run-dir {run_dir})")
        return 0
    cluster = Cluster.load(run_dir)
    if cluster is None:
        print(f"no cluster recorded in {run_dir}")
        return 0 if args.action == "down" else 1
    if args.action == "down":
        cluster.stop()
        print(f"stopped nginx and {len(cluster.replica_pids)} replicas ({run_dir})")
        return 0
    ok = True
    for i in range(len(cluster.replica_ports)):
        up = healthy(cluster.replica_url(i))
        ok &= up
        mem = cluster.memory_mb()[i]
        rss = f"{mem['rss_mb']:.0f} MB" if mem["rss_mb"] else "?"
        print(f"replica {i + 1} {cluster.replica_url(i)} pid {cluster.replica_pids[i]}: {'ok' if up else 'DOWN'}, RSS {rss}")
    up = healthy(cluster.url)
    print(f"proxy {cluster.url} pid {cluster.nginx_pid}: {'ok' if up else 'DOWN'}")
    return 0 if ok and up else 1


if __name__ == "__main__":
    raise SystemExit(main())
