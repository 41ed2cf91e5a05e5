-- category_mean_check: the printed national and category means beside the plain mean of the instansi values held
-- params: none
with printed as (
    select year, scope, value as printed_mean, source_id, source_detail
    from national_results
    where series = 'category_average' and statistic = 'mean' and domain_code is null
),

scoped as (
    select
        year,
        indeks,
        case category when 'pusat' then 'instansi_pusat' else category end as scope
    from index_results
    where assessment = 'official'
    union all
    select year, indeks, 'nasional' as scope
    from index_results
    where assessment = 'official'
    union all
    select year, indeks, 'pemerintah_daerah' as scope
    from index_results
    where assessment = 'official' and category in ('provinsi', 'kabupaten', 'kota')
),

computed as (
    select year, scope, avg(indeks) as plain_mean, count(*) as instansi_count
    from scoped
    group by year, scope
)

select
    printed.year,
    printed.scope,
    printed.printed_mean,
    computed.plain_mean,
    computed.instansi_count,
    printed.printed_mean - computed.plain_mean as difference,
    printed.source_id,
    printed.source_detail
from printed
join computed using (year, scope)
order by printed.year, printed.scope
