-- story_index_trend: one instansi's index per year and assessment for the presentation, with framework, source, kind, provenance and predikat basis
-- params: $instansi_id
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
    results.note,
    results.provenance,
    results.predikat_basis
from index_results as results
left join frameworks using (framework_id)
where results.instansi_id = $instansi_id
order by results.year, results.assessment
