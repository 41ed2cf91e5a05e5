-- instansi_domain_values: one instansi's domain values for every year and assessment, with kind and source
-- params: $instansi_id
select
    domain_results.year,
    domain_results.framework_id,
    domain_results.assessment,
    domain_results.kind,
    domain_results.domain_code,
    domain_results.value,
    domain_results.source_id,
    domain_results.note
from domain_results
where domain_results.instansi_id = $instansi_id
order by domain_results.year, domain_results.assessment, domain_results.domain_code
