-- year_official_levels: every instansi's official indicator levels in one year (2021-2022: DS2122), for peer comparisons
-- params: $year
select
    instansi_id,
    framework_id,
    cast(indicator_no as varchar) as indicator_code,
    level,
    source_id,
    provenance
from indicator_results
where year = $year and assessment = 'official'
order by instansi_id, indicator_no
