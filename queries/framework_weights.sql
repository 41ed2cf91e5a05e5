-- framework_weights: every framework's domains and aspects with weights, and how many indicators each holds
-- params: none
with indicator_counts as (
    select framework_id, parent_code, count(*) as indicators, sum(weight_pct) as indicator_weight_pct
    from framework_items
    where level = 'indicator'
    group by framework_id, parent_code
)

select
    items.framework_id,
    items.level,
    items.code,
    items.parent_code,
    items.name_id,
    items.name_en,
    items.weight_pct,
    indicator_counts.indicators,
    items.verified
from framework_items as items
left join indicator_counts
    on indicator_counts.framework_id = items.framework_id and indicator_counts.parent_code = items.code
    and items.level = 'aspect'
where items.level in ('domain', 'aspect')
order by items.framework_id, items.level desc, items.code
