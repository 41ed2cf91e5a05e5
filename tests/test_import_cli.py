"""python -m spbe import / rollback: same validation and messages as the page, exit codes for scripts,
no prompts (stdin is closed)."""

from __future__ import annotations

from pathlib import Path

from spbe.store import versions
from tests.import_samples import dump_store, index_csv, indicator_csv, state_snapshot
from tests.import_samples import run_cli as cli

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_dry_run_prints_the_preview_and_writes_nothing(private, tmp_path):
    before = dump_store(private)
    out = cli("import", write(tmp_path, "cilegon.csv", indicator_csv()), "--dry-run", "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert "Added: 47 · Changed: 0 · Unchanged: 0" in out.stdout
    assert "Index recomputed from indicator levels: Kota Cilegon 2024 (Self-assessment)" in out.stdout
    assert "Dry run (--dry-run): nothing written." in out.stdout
    assert dump_store(private) == before and state_snapshot(tmp_path / "state") == {}


def test_invalid_file_exits_2_with_the_precise_message_in_both_languages(private, tmp_path):
    path = write(tmp_path, "salah.csv", b"instansi,year,assessment,indicator_no,level\nkota-cilegon,2024,self_assessment,3,7\n")
    before = dump_store(private)
    out = cli("import", path)
    assert out.returncode == 2
    assert (
        "KESALAHAN: berkas 'salah.csv', baris 2, kolom 'level', nilai '7': tingkat kematangan di luar skala "
        "PermenPANRB 59/2020; yang diharapkan bilangan bulat 1 sampai 5."
    ) in out.stderr
    assert "Tidak ada yang ditulis: 1 kesalahan." in out.stderr
    out = cli("import", path, "--lang", "en", "--dry-run")
    assert out.returncode == 2
    assert "ERROR: file 'salah.csv', row 2, column 'level', value '7': level outside the PermenPANRB 59/2020 scale" in out.stderr
    assert dump_store(private) == before and state_snapshot(tmp_path / "state") == {}


def test_apply_then_rollback_then_nothing_left(private, tmp_path):
    out = cli("import", write(tmp_path, "a.csv", indicator_csv()), "--user", "operator-skrip", "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert "Applied as version v0001-" in out.stdout and ": 47 added, 0 changed." in out.stdout
    assert versions.read_audit()[-1]["user"] == "operator-skrip"
    out = cli("rollback", "--lang", "en")
    assert out.returncode == 0 and "now serving published data only (no import)" in out.stdout
    out = cli("rollback", "--lang", "en")
    assert out.returncode == 2 and "nothing to roll back" in out.stderr


def test_default_user_is_the_login_name(private, tmp_path):
    assert cli("import", write(tmp_path, "a.csv", indicator_csv())).returncode == 0
    assert versions.read_audit()[-1]["user"].startswith("cli:")


def test_official_change_exits_3_until_confirmed(private, tmp_path):
    path = write(tmp_path, "resmi.csv", index_csv("2,61", assessment="official"))
    out = cli("import", path, "--lang", "en")
    assert out.returncode == 3
    assert "NEEDS CONFIRMATION" in out.stderr and "2.56 → 2.61 (difference +0.05)" in out.stderr
    assert "--confirm-official-changes" in out.stderr
    assert versions.read_audit() == []
    assert cli("import", path, "--dry-run").returncode == 3
    assert cli("import", path, "--dry-run", "--confirm-official-changes").returncode == 0
    out = cli("import", path, "--confirm-official-changes", "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert versions.read_audit()[-1]["official_changes"] == 1


def test_missing_file_and_bad_arguments_exit_2(private, tmp_path):
    out = cli("import", str(tmp_path / "tidak_ada.csv"), "--lang", "en")
    assert out.returncode == 2 and "does not exist" in out.stderr
    assert cli("import").returncode == 2
    assert cli("import", "x.csv", "--no-such-flag").returncode == 2
    assert cli("rollback", "--lang", "xx").returncode == 2


def test_unchanged_file_is_not_a_new_version(private, tmp_path):
    path = write(tmp_path, "a.csv", indicator_csv())
    assert cli("import", path).returncode == 0
    out = cli("import", path, "--lang", "en")
    assert out.returncode == 0 and "no new version" in out.stdout
    assert len(versions.list_versions()) == 1
