-- year_domain_results: every instansi's top-level (domain) values in one year, with the item's names, weight and order
-- params: $year
with top_items as (
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
    results.instansi_id,
    results.year,
    results.framework_id,
    results.assessment,
    results.kind,
    results.domain_code,
    top_items.name_id as domain_name_id,
    top_items.name_en as domain_name_en,
    top_items.weight_pct,
    top_items.item_order,
    results.value,
    results.source_id,
    results.note
from domain_results as results
left join top_items
    on top_items.framework_id = results.framework_id and top_items.code = results.domain_code
where results.year = $year
order by results.instansi_id, results.assessment, top_items.item_order
