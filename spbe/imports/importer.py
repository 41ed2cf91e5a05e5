"""A region's own results, imported safely: validate, preview, apply atomically, roll back, audit.

The code lives in the package spbe.imports, one module per stage: read (bytes -> tables, under limits) ->
validate (tables -> rows) -> plan (rows -> changes, confirmations, recomputed indices) -> apply (plan ->
version, store switch, audit); cli and views hold the command line and what the page shows. This module
keeps the public API where pages, tests, tools and `python -m spbe import` find it.

Public API (pure apart from apply/rollback, which write state_dir() and the store):
    plan_upload(data, file_name) -> Plan          # read + validate + preview; writes nothing
    apply_upload(data, file_name, user, confirm_official=False, expected_base=ANY) -> Result
    apply_file(path, user, confirm_official=False) -> Result
    rollback(user) -> Result                      # back to the version the active one was applied on
    main(argv) -> int                             # python -m spbe import FILE ... | rollback

What a file may hold (one level per CSV or per sheet, told apart by its columns; see templates.py):
    indicator  instansi, year, assessment, indicator_no, level   (a whole level on the framework's scale)
    domain     instansi, year, assessment, domain_code, value    (the framework's top level)
    aspect     instansi, year, assessment, aspect_code, value    (only where aspects are the top level,
               i.e. PermenPANRB 8/2026; 59/2020 and 5/2018 aspect values are not stored: they follow
               from the indicator levels, which is what to upload instead)
    index      instansi, year, assessment, indeks [, predikat, source_detail]
The instansi is named by instansi (id, exact name or Kemendagri code) or instansi_id / instansi_name /
kemendagri_code; the framework follows from the year. Every row may carry a note.

Apply order (each step durable before the next; a kill at any point leaves old or new data serving):
    1. the new version folder (previous overlay + new rows) is written and fsynced under a temp name,
       then renamed into place: not yet pointed at, so a kill leaves the old data;
    2. the new store is built into a temp file beside the store (the seeds + overlay are validated again);
    3. the ACTIVE pointer is replaced atomically: from here a restart builds the new data, because the
       store is now older than the pointer (spbe.store.build.is_stale);
    4. the temp store is touched (newer than the pointer) and moved over the store: readers switch;
    5. the audit line is appended (if a kill lost it, versions.recover() writes it on the next run).
"""

from __future__ import annotations

from spbe.imports.apply import (  # noqa: F401
    ANY,
    CRASH_EXIT,
    IMPORT_SOURCE_KIND,
    OVERLAY_KEYS,
    Result,
    apply_file,
    apply_plan,
    apply_upload,
    checkpoint,
    number_text,
    overlay_row,
    rollback,
    safe_label,
    safe_upload_name,
    switch_to,
    version_files,
)
from spbe.imports.cli import main  # noqa: F401
from spbe.imports.plan import (  # noqa: F401
    EPS,
    TEXT_FIELDS,
    TOLERANCE,
    Change,
    Plan,
    Recomputed,
    plan_upload,
    preview,
    published_official,
    replan,
)
from spbe.imports.read import Problem, Table, read_tables_limited  # noqa: F401
from spbe.imports.validate import (  # noqa: F401
    ALIASES,
    IDENTIFIER_COLUMNS,
    MAX_TEXT,
    SPECS,
    LevelSpec,
    Reference,
    Row,
    RowCheck,
    header_columns,
    load_reference,
    norm_name,
    parse_number,
    parse_year,
    short_regulation,
    validate_tables,
)
from spbe.imports.views import audit_frame, history_frame, rollback_target, serving_label  # noqa: F401
