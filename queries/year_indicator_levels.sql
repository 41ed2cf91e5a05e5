-- year_indicator_levels: one instansi's imported indicator levels in one year, per assessment, with source and kind
-- params: $instansi_id, $year
select
    indicator_no,
    assessment,
    kind,
    framework_id,
    level,
    source_id
from indicator_results
where instansi_id = $instansi_id and year = $year
order by assessment, indicator_no
