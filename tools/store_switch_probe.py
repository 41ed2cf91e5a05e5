"""Does one page render ever mix two versions of the store? A deterministic companion to the load drill.

    .venv/bin/python tools/store_switch_probe.py [--pages ikhtisar,kesenjangan]

For each page (lang=id, Kota Cilegon, 2024) it renders in AppTest on the old store (the seeds) and on the new
one (the load drill's import applied through spbe.imports.importer), then once per spbe.store.db.run call k of that page
with the store switched right after the k-th call, the way the importer switches it (os.replace of the file).
A render equal to neither the old nor the new render showed data of both versions at once. Everything
happens in a temporary folder; exit 1 when some page mixed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

PARAMS = {"lang": "id", "instansi": "kota-cilegon", "tahun": "2024"}


def fingerprint(at) -> str:
    """Everything the render shows that carries data: charts, metrics, headings, tables, exceptions."""
    out = {
        "charts": [c.proto.spec for c in at.get("plotly_chart")],
        "metrics": [(m.label, m.value) for m in at.metric],
        "headings": [h.value for h in [*at.title, *at.header, *at.subheader]],
        "markdown": [m.value for m in at.markdown],
        "tables": [d.value.to_csv() for d in at.dataframe],
        "exceptions": [e.message for e in at.exception],
    }
    return json.dumps(out, sort_keys=True, default=str)


def probe(workdir: Path, pages: list[str] | None = None) -> dict[str, list[str] | None]:
    """For each page: the db.run calls after which a switch makes its render mix versions ([] = never);
    None when the import does not change the page at all. Uses (and replaces) the store at $SPBE_DB,
    state in $SPBE_STATE_DIR; workdir holds the two versions."""
    import load_drill

    from spbe.dev import bench
    from spbe.models.pages import PAGES
    from spbe.settings import db_path, state_dir
    from spbe.store import db
    from spbe.store.build import build

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    store = db_path()
    build(target=store, overlay=None)
    shutil.copyfile(store, workdir / "old.duckdb")
    load_drill.apply_import(*load_drill.drill_import())
    shutil.copyfile(store, workdir / "new.duckdb")
    shutil.rmtree(state_dir())  # no ACTIVE pointer: the copies are not rebuilt by ensure_db

    def put(which: str) -> None:
        part = workdir / ".switch.tmp"
        shutil.copyfile(workdir / f"{which}.duckdb", part)
        os.replace(part, store)

    def render(script: str):
        bench.clear_all_caches()
        return bench.render_once(ROOT / "app.py", None if script == "app.py" else script, PARAMS, 120)[1]

    original_run = db.run
    found: dict[str, list[str] | None] = {}
    try:
        with bench.shared_script_cache():
            for spec in PAGES:
                if pages and spec.key not in pages:
                    continue
                put("old")
                old = fingerprint(render(spec.script))
                put("new")
                new = fingerprint(render(spec.script))
                if old == new:
                    found[spec.key] = None
                    continue
                names: list[str] = []

                def counting(name, *a, _names=names, **kw):
                    _names.append(name)
                    return original_run(name, *a, **kw)

                put("old")
                db.run = counting
                try:
                    render(spec.script)
                finally:
                    db.run = original_run
                mixed = []
                for k in range(1, len(names)):
                    put("old")
                    calls = [0]

                    def switching(name, *a, _k=k, _calls=calls, **kw):
                        result = original_run(name, *a, **kw)
                        _calls[0] += 1
                        if _calls[0] == _k:
                            put("new")
                        return result

                    db.run = switching
                    try:
                        got = fingerprint(render(spec.script))
                    finally:
                        db.run = original_run
                    if got not in (old, new):
                        mixed.append(f"switch after call {k} ({names[k - 1]}, next {names[k]})")
                found[spec.key] = mixed
    finally:
        db.run = original_run
        bench.clear_all_caches()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="", help="comma-separated page keys (default: every page)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="spbe-switch-probe-"))
    os.environ["SPBE_DB"] = str(tmp / "spbe.duckdb")
    os.environ["SPBE_STATE_DIR"] = str(tmp / "state")
    try:
        found = probe(tmp, [p for p in args.pages.split(",") if p] or None)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for key, mixed in found.items():
        if mixed is None:
            print(f"{key}: the same render on both versions (the import does not show here)")
        else:
            print(f"{key}: " + (("MIXES versions: " + "; ".join(mixed)) if mixed else "never mixed"))
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
