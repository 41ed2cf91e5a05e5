"""The import, one module per stage: read -> validate -> plan -> apply (+ cli, views).

    read      bytes -> tables, under limits (prescan, then a capped child process)      spbe.imports.read
    validate  tables -> rows (instansi, year/framework, assessment, code, value, text)   spbe.imports.validate
    plan      rows -> changes, confirmations, recomputed indices, incomplete uploads     spbe.imports.plan
    apply     plan -> immutable version, store switched atomically, audit; rollback      spbe.imports.apply

spbe.imports.importer re-exports the public API (plan_upload, apply_upload, apply_plan, rollback, main, ...).
"""
