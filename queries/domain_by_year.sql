-- domain_by_year: every instansi's official domain values for one year, with the domain names of that year's framework
-- params: $year
with official as (
    select * from domain_results where year = $year and assessment = 'official'
)

select
    official.instansi_id,
    official.instansi_name,
    official.year,
    official.framework_id,
    official.domain_code,
    official.domain_name,
    items.name_en as domain_name_en,
    official.value,
    official.source_id,
    official.provenance,
    official.note
from official
left join framework_items as items
    on items.framework_id = official.framework_id and items.level = 'domain' and items.code = official.domain_code
order by official.instansi_name, official.domain_code
