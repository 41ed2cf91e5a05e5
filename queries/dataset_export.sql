-- dataset_export: every index result with its domain values side by side, source, kind and notes (the full dataset)
-- params: none
with domains as (
    select
        instansi_id,
        year,
        assessment,
        max(value) filter (where domain_code = 'D1') as d1,
        max(value) filter (where domain_code = 'D2') as d2,
        max(value) filter (where domain_code = 'D3') as d3,
        max(value) filter (where domain_code = 'D4') as d4
    from domain_results
    group by instansi_id, year, assessment
)

select
    results.instansi_id,
    results.instansi_name,
    results.category,
    results.province,
    results.year,
    results.framework_id,
    results.assessment,
    results.kind,
    domains.d1,
    domains.d2,
    domains.d3,
    domains.d4,
    results.indeks,
    results.predikat,
    results.source_id,
    results.source_detail,
    results.year_attributed,
    results.provenance,
    results.predikat_basis,
    results.note
from index_results as results
left join domains using (instansi_id, year, assessment)
order by results.year, results.category, results.province, results.instansi_name, results.assessment
