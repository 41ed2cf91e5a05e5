-- indicator_levels: one instansi's imported indicator levels, every year and assessment, with source and kind
-- params: $instansi_id
select
    year,
    framework_id,
    assessment,
    kind,
    cast(indicator_no as varchar) as indicator_code,
    indicator_name,
    aspect_code,
    domain_code,
    level,
    source_id,
    note
from indicator_results
where instansi_id = $instansi_id
order by year, assessment, indicator_no
