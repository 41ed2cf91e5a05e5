-- indicator_levels: one instansi's indicator levels (official 2021-2022 from DS2122, and a region's imports), every year and assessment, with source and kind
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
    provenance,
    note
from indicator_results
where instansi_id = $instansi_id
order by year, assessment, indicator_no
