-- peer_official_levels: the official indicator levels of the focus and its peers in one year (year_official_levels for the instansi a view shows)
-- params: $year, $instansi_ids
select
    instansi_id,
    framework_id,
    cast(indicator_no as varchar) as indicator_code,
    level,
    source_id,
    provenance
from indicator_results
where year = $year and assessment = 'official' and list_contains($instansi_ids, instansi_id)
order by instansi_id, indicator_no
