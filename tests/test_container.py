"""The container image (Containerfile) built and run with Podman: healthy, a page rendered in headless
Chromium, non-root, the admin secret from a file, and data written to the volume surviving a new container.

Marker `container`: tools/pytest_all.sh runs it when `podman` is on PATH. Public base images cannot be pulled
on the CI machine, so the base is a Debian 12 root built with debootstrap (python3, venv, pip) and imported as
localhost/debian-py311; the root is cached as a tarball under /var/tmp/spbe-container-cache, and Podman keeps
the image and the build's layers, so a second run takes about a minute. Skips with the reason when podman,
runc or debootstrap is missing, or when the network needed for debootstrap or pip is not there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from spbe.dev import e2e
from spbe.i18n import t
from spbe.models.pages import PAGES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import load_drill  # noqa: E402  (tools/load_drill.py: the protocol-level client and the drill's import file)

pytestmark = pytest.mark.container

CACHE = Path(os.environ.get("SPBE_CONTAINER_CACHE") or "/var/tmp/spbe-container-cache")
BASE_IMAGE = "localhost/debian-py311"
IMAGE = "localhost/spbe-dashboard:test"
NETWORK_TROUBLE = re.compile(
    r"Temporary failure in name resolution|Could not resolve|Network is unreachable|Connection (refused|reset|timed out)|"
    r"No matching distribution|Could not find a version|SSLError|CERTIFICATE_VERIFY_FAILED|Failed getting release file|"
    r"Couldn't download|ReadTimeoutError|NewConnectionError|unable to fetch|Failed to fetch",
    re.IGNORECASE,
)
PASSWORD = "rahasia-kontainer-panjang-sekali"


def podman(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout, env=podman_env())
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def podman_env() -> dict[str, str]:
    # crun fails on some hosts' cgroups: runc, cgroupfs and no default ulimits (deploy/containers.conf).
    return dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF") or str(ROOT / "deploy" / "containers.conf"))


def skip_or_fail(what: str, output: str) -> None:
    tail = "\n".join(output.strip().splitlines()[-15:])
    if NETWORK_TROUBLE.search(output):
        pytest.skip(f"SKIPPED container test: {what} failed for lack of network:\n{tail}")
    raise AssertionError(f"{what} failed:\n{tail}")


def ensure_base_image() -> None:
    """localhost/debian-py311: from Podman's store, else from the cached root tarball, else debootstrap."""
    if podman("image", "exists", BASE_IMAGE, check=False).returncode == 0:
        return
    tarball = CACHE / "debian-py311-bookworm.tar"
    if not tarball.exists():
        if shutil.which("debootstrap") is None and not Path("/usr/sbin/debootstrap").exists():
            pytest.skip("SKIPPED container test: no debootstrap to build the local base image (apt-get install -y debootstrap)")
        if os.geteuid() != 0:
            pytest.skip("SKIPPED container test: debootstrap needs root to build the local base image")
        CACHE.mkdir(parents=True, exist_ok=True)
        root = CACHE / "root.partial"
        shutil.rmtree(root, ignore_errors=True)
        cmd = ["debootstrap", "--variant=minbase", "--include=python3,python3-venv,python3-pip", "bookworm", str(root)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired as err:
            shutil.rmtree(root, ignore_errors=True)
            pytest.skip(f"SKIPPED container test: debootstrap took over 10 minutes ({err})")
        if done.returncode != 0:
            log = done.stdout + done.stderr
            shutil.rmtree(root, ignore_errors=True)
            skip_or_fail("debootstrap", log + ("\nFailed to fetch" if "W: Failure trying to run" not in log else ""))
        partial = tarball.with_suffix(".tar.partial")
        subprocess.run(["tar", "-C", str(root), "-cf", str(partial), "."], check=True, timeout=300)
        partial.rename(tarball)
        shutil.rmtree(root, ignore_errors=True)
    podman("import", str(tarball), BASE_IMAGE, timeout=300)


def pip_ca() -> str | None:
    """The CA bundle pip uses on this host (a TLS-intercepting proxy needs it inside the build too)."""
    for candidate in (os.environ.get("PIP_CERT"), os.environ.get("SSL_CERT_FILE"), "/etc/ssl/certs/ca-certificates.crt"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def image() -> str:
    if shutil.which("podman") is None:
        pytest.skip("SKIPPED container tests: no podman on PATH (apt-get install -y podman runc)")
    if shutil.which("runc") is None and not Path("/usr/sbin/runc").exists():
        pytest.skip("SKIPPED container tests: no runc (apt-get install -y runc; deploy/containers.conf selects it)")
    ensure_base_image()
    cmd = ["build", "--format", "docker", "--build-arg", f"BASE={BASE_IMAGE}", "-t", IMAGE, "-f", str(ROOT / "Containerfile")]
    if pip_ca():
        cmd += ["--secret", f"id=pip_ca,src={pip_ca()}"]
    previous = podman("image", "inspect", "--format", "{{.Id}}", IMAGE, check=False).stdout.strip()
    done = podman(*cmd, str(ROOT), timeout=900, check=False)
    if done.returncode != 0:
        skip_or_fail("podman build", done.stdout + done.stderr)
    current = podman("image", "inspect", "--format", "{{.Id}}", IMAGE, check=False).stdout.strip()
    if previous and previous != current:  # the last run's image, now untagged: do not pile up 1 GB images
        podman("rmi", previous, check=False)
    return IMAGE


def wait_healthy(url: str, name: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=3) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        state = podman("inspect", "--format", "{{.State.Status}}", name, check=False).stdout.strip()
        if state in ("exited", "stopped"):
            break
        time.sleep(1)
    logs = podman("logs", name, check=False)
    raise AssertionError(f"container {name} not healthy at {url}:\n{logs.stdout[-3000:]}\n{logs.stderr[-3000:]}")


def fingerprint(url: str) -> dict:
    async def go():
        session = load_drill.ProtocolSession(url, 60)
        await session.open()
        try:
            return (await session.view("", load_drill.view_query(), time.monotonic()))[0]
        finally:
            await session.close()

    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result(timeout=120)


@pytest.fixture
def volume():
    name = f"spbe-test-{uuid.uuid4().hex[:8]}"
    podman("volume", "create", name)
    yield name
    podman("volume", "rm", "-f", name, check=False)


def start(image: str, volume: str, secret: Path, port: int) -> str:
    name = f"spbe-test-{uuid.uuid4().hex[:8]}"
    podman(
        "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8501", "-v", f"{volume}:/var/lib/spbe",
        "-v", f"{secret}:/run/secrets/admin:ro", "-e", "SPBE_ADMIN_PASSWORD_FILE=/run/secrets/admin", image,
    )  # fmt: skip
    return name


def test_image_runs_healthy_renders_and_keeps_its_volume(image, volume, tmp_path):
    if e2e.chromium_path() is None:
        pytest.skip("SKIPPED container test: no Chromium for the rendered page")
    secret = tmp_path / "admin_password"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o644)
    port = e2e.free_port()
    url = f"http://127.0.0.1:{port}"
    names = [start(image, volume, secret, port)]
    try:
        wait_healthy(url, names[0])
        assert podman("healthcheck", "run", names[0], check=False).returncode == 0, "the image's HEALTHCHECK passes"
        assert podman("exec", names[0], "id", "-u").stdout.strip() != "0", "runs as non-root"
        environ = podman("exec", names[0], "cat", "/proc/1/environ").stdout
        assert f"SPBE_ADMIN_PASSWORD={PASSWORD}\0" in environ, "the admin secret comes from the secret file"
        assert "SPBE_ADMIN_PASSWORD=" not in podman("image", "inspect", image, "--format", "{{.Config.Env}}").stdout

        from playwright.sync_api import sync_playwright

        spec = PAGES[0]
        with sync_playwright() as pw:
            browser = e2e.launch_chromium(pw)
            try:
                tab = browser.new_page()
                tab.set_default_timeout(90_000)
                tab.goto(f"{url}/?lang=id&instansi=kota-cilegon&tahun=2024")
                e2e.wait_page(tab, f"{t(spec.title_key, 'id')} · {t('app.name', 'id')}")
                assert not e2e.exception_texts(tab)
                assert tab.locator(e2e.PLOTLY_PAINTED).count() >= 1, "a chart is painted"
                assert "Kota Cilegon" in e2e.main_text(tab)
            finally:
                browser.close()

        published = fingerprint(url)
        data, file_name = load_drill.drill_import()
        upload = tmp_path / file_name
        upload.write_bytes(data)
        upload.chmod(0o644)
        podman("cp", str(upload), f"{names[0]}:/tmp/{file_name}")
        done = podman("exec", names[0], "/app/deploy/entrypoint.sh", "spbe", "import", f"/tmp/{file_name}", "--user", "kontainer")
        assert "v0001-" in done.stdout + done.stderr, done.stdout
        imported = fingerprint(url)
        assert imported != published, "the import shows"

        # A new container on the same volume (as after a restart or an image upgrade) serves the import.
        podman("rm", "-f", names[0], timeout=60)
        names.append(start(image, volume, secret, port))
        wait_healthy(url, names[-1])
        assert fingerprint(url) == imported, "the imported data survived on the volume"
        audit = podman("exec", names[-1], "cat", "/var/lib/spbe/state/imports/audit.jsonl").stdout
        assert '"user": "kontainer"' in audit and '"action": "apply"' in audit
        active = podman("exec", names[-1], "cat", "/var/lib/spbe/state/imports/ACTIVE").stdout.strip()
        assert active.startswith("v0001-")
    finally:
        for name in names:
            podman("rm", "-f", name, timeout=60, check=False)
