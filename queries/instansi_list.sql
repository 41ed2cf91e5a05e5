-- instansi_list: every instansi with its category and province, for pickers and peer sets, and the frameworks
-- under which it holds an official result (a body evaluated only in 2018-2019 is no peer in 2024)
-- params: none
with evaluated as (
    select instansi_id, string_agg(distinct framework_id, ';' order by framework_id) as evaluated_under
    from index_results
    where assessment = 'official'
    group by instansi_id
)

select
    instansi.instansi_id,
    instansi.instansi_name,
    instansi.category,
    instansi.province,
    instansi.subcategory,
    instansi.kemendagri_code,
    coalesce(evaluated.evaluated_under, '') as evaluated_under
from instansi
left join evaluated using (instansi_id)
order by
    case instansi.category when 'provinsi' then 1 when 'kabupaten' then 2 when 'kota' then 2 else 3 end,
    instansi.province,
    instansi.instansi_name
