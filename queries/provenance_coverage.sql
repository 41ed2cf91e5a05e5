-- provenance_coverage: per year, source and trust level (provenance), how many official index values and indicator levels the store holds
-- params: none
with idx as (
    select year, source_id, provenance, count(*) as index_values
    from index_results
    where assessment = 'official'
    group by year, source_id, provenance
),
lv as (
    select year, source_id, provenance, count(*) as indicator_levels
    from indicator_results
    where assessment = 'official'
    group by year, source_id, provenance
)
select
    coalesce(idx.year, lv.year) as year,
    coalesce(idx.source_id, lv.source_id) as source_id,
    coalesce(idx.provenance, lv.provenance) as provenance,
    coalesce(idx.index_values, 0) as index_values,
    coalesce(lv.indicator_levels, 0) as indicator_levels
from idx
full outer join lv on idx.year = lv.year and idx.source_id = lv.source_id and idx.provenance = lv.provenance
order by year, source_id
