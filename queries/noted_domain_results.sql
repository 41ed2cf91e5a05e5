-- noted_domain_results: domain values that are missing or outside the scale, with the note that explains them
-- params: none
select
    results.instansi_id,
    results.instansi_name,
    results.year,
    results.domain_code,
    results.domain_name,
    results.value,
    results.source_id,
    results.note
from domain_results as results
where results.note is not null or results.value is null
order by results.year, results.instansi_name, results.domain_code
