"""The Impor Data page in AppTest: templates for everyone, the rest behind the admin sign-in, rollback."""

from __future__ import annotations

from spbe.i18n import t
from spbe.imports import importer
from spbe.store import versions
from spbe.web.auth import ENV_SECRET, SESSION_USER
from tests.conftest import run_page
from tests.import_samples import indicator_csv

PAGE = "pages/7_impor.py"


def texts(at) -> str:
    parts = [
        e.value for kind in ("markdown", "caption", "info", "success", "error", "warning", "text") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts).replace("\\", "")  # markdown escapes dropped


def test_without_a_password_the_page_says_how_to_set_one_and_offers_templates(private, monkeypatch):
    """Issue 13 item 5: a viewer who is not signed in reads "admins only" in plain words; how to set a password up
    (the variable, the secrets file) is for the server's administrator: README and the server log only."""
    monkeypatch.delenv(ENV_SECRET, raising=False)
    at = run_page(PAGE, lang="en")
    assert not at.exception
    assert any(i.value == t("auth.not_enabled", "en") for i in at.info)
    for setup_word in (ENV_SECRET, "secrets.toml", "admin_users", "admin_password", "hash-password"):
        assert setup_word not in texts(at), f"the viewer's Impor page shows the set-up detail {setup_word!r}"
    assert not at.get("file_uploader")
    assert len(at.get("download_button")) >= 4, "the Excel and three CSV templates"
    assert t("import.page.state_seeds", "en") in texts(at)


def test_signed_in_admin_gets_the_uploader(private, monkeypatch):
    monkeypatch.setenv(ENV_SECRET, "kunci-halaman")
    at = run_page(PAGE, lang="id")
    assert not at.get("file_uploader")
    at.text_input(key="auth_name").input("admin")  # the single password is the account "admin"
    at.text_input(key="auth_password").input("kunci-halaman")
    at.button(key="FormSubmitter:auth_sign_in-Masuk").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state[SESSION_USER] == "admin"
    assert at.get("file_uploader")


def test_rollback_from_the_page(private, monkeypatch):
    monkeypatch.setenv(ENV_SECRET, "kunci-halaman")
    applied = importer.apply_upload(indicator_csv(), "a.csv", "Ani")
    assert applied.ok
    at = run_page(PAGE, lang="en")
    at.session_state[SESSION_USER] = "Ani"
    at.run()
    assert applied.version in texts(at)
    assert at.button(key="import_rollback").disabled, "nothing happens until the confirmation is ticked"
    at.checkbox(key="import_rollback_sure").check().run()
    at.button(key="import_rollback").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert versions.active_name() is None
    assert t("import.page.rolled_back", "en", version=t("import.seeds_only", "en")) in texts(at)
    assert [e["action"] for e in versions.read_audit()] == ["apply", "rollback"]
    assert versions.read_audit()[-1]["user"] == "Ani"
