-- domain_history: one instansi's domain values over all years and assessments, with the domain names of each framework
-- params: $instansi_id
with wanted as (
    select * from domain_results where instansi_id = $instansi_id
)

select
    wanted.instansi_id,
    wanted.instansi_name,
    wanted.year,
    wanted.framework_id,
    wanted.assessment,
    wanted.domain_code,
    wanted.domain_name,
    items.name_en as domain_name_en,
    wanted.value,
    wanted.source_id,
    wanted.provenance,
    wanted.note
from wanted
left join framework_items as items
    on items.framework_id = wanted.framework_id and items.level = 'domain' and items.code = wanted.domain_code
order by wanted.year, wanted.assessment, wanted.domain_code
