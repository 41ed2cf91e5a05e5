-- domain_by_year: every instansi's official domain values for one year, with each domain's names, weight and
-- order in that year's framework
-- params: $year
with official as (
    select * from domain_results where year = $year and assessment = 'official'
),

top_items as (
    select
        framework_id,
        code,
        name_id,
        name_en,
        weight_pct,
        row_number() over (partition by framework_id, level order by code) as item_order
    from framework_items
    where level in ('domain', 'aspect')
)

select
    official.instansi_id,
    official.instansi_name,
    official.year,
    official.framework_id,
    official.assessment,
    official.kind,
    official.domain_code,
    official.domain_name,
    top_items.name_en as domain_name_en,
    top_items.weight_pct,
    top_items.item_order,
    official.value,
    official.source_id,
    official.provenance,
    official.note
from official
left join top_items
    on top_items.framework_id = official.framework_id and top_items.code = official.domain_code
order by official.instansi_name, top_items.item_order
