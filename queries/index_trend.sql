-- index_trend: one instansi's index per year and assessment, with its framework, source and kind
-- params: $instansi_id
with results as (
    select * from index_results where instansi_id = $instansi_id
)

select
    results.year,
    results.assessment,
    results.kind,
    results.framework_id,
    frameworks.regulation,
    results.indeks,
    results.predikat,
    results.source_id,
    results.source_detail,
    results.year_attributed,
    results.provenance,
    results.predikat_basis,
    results.note
from results
left join frameworks using (framework_id)
order by results.year, results.assessment
