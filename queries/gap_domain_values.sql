-- gap_domain_values: every instansi's domain values and index for one year and assessment, with category and province
-- params: $year, $assessment
with domains as (
    select instansi_id, framework_id, domain_code, value, source_id, note
    from domain_results
    where year = $year and assessment = $assessment
),

indices as (
    select instansi_id, indeks, predikat, source_id as index_source_id
    from index_results
    where year = $year and assessment = $assessment
)

select
    instansi.instansi_id,
    instansi.instansi_name,
    instansi.category,
    instansi.province,
    domains.framework_id,
    domains.domain_code,
    domains.value,
    domains.source_id,
    domains.note,
    indices.indeks,
    indices.predikat,
    indices.index_source_id
from domains
inner join instansi on instansi.instansi_id = domains.instansi_id
left join indices on indices.instansi_id = domains.instansi_id
order by instansi.instansi_id, domains.domain_code
