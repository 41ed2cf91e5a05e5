-- national_series: the national index and domain means per year (R24 Tabel 4 series), domain names from each year's framework
-- params: none
with series as (
    select * from national_results where series = 'national_trend' and scope = 'nasional' and statistic = 'mean'
),

domain_names as (
    select framework_id, code, name_id, name_en from framework_items where level = 'domain'
),

years as (
    select * from series  -- national_results carries the framework of each year
)

select
    years.year,
    years.framework_id,
    years.domain_code,
    domain_names.name_id as domain_name_id,
    domain_names.name_en as domain_name_en,
    years.value,
    years.source_id,
    years.source_detail,
    years.comment
from years
left join domain_names
    on domain_names.framework_id = years.framework_id and domain_names.code = years.domain_code
order by years.year, years.domain_code nulls first
