-- year_index_results: every instansi's index in one year, per assessment, with category, province, framework and source
-- params: $year
select
    instansi_id,
    instansi_name,
    category,
    province,
    year,
    framework_id,
    assessment,
    kind,
    indeks,
    predikat,
    source_id,
    year_attributed,
    provenance,
    predikat_basis,
    note
from index_results
where year = $year
order by instansi_id, assessment
