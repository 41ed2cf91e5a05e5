-- year_indicator_levels: one instansi's indicator levels (official 2021-2022 from DS2122, and a region's imports) in one year, per assessment, with source and kind
-- params: $instansi_id, $year
select
    indicator_no,
    assessment,
    kind,
    framework_id,
    level,
    source_id,
    provenance
from indicator_results
where instansi_id = $instansi_id and year = $year
order by assessment, indicator_no
