-- index_history: the index of several instansi over all years and assessments (official, self-assessment, ...)
-- params: $instansi_ids
with wanted as (
    select * from index_results where list_contains($instansi_ids, instansi_id)
)

select
    wanted.instansi_id,
    wanted.instansi_name,
    wanted.category,
    wanted.province,
    wanted.year,
    wanted.assessment,
    wanted.kind,
    wanted.framework_id,
    wanted.indeks,
    wanted.predikat,
    wanted.source_id,
    wanted.source_detail,
    wanted.year_attributed,
    wanted.provenance,
    wanted.predikat_basis,
    wanted.note
from wanted
order by wanted.instansi_name, wanted.year, wanted.assessment
