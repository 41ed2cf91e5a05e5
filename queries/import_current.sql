-- import_current: the stored index, domain and indicator values of the given instansi, one row per value, with their text fields, for an import's preview
-- params: $instansi_ids
with index_values as (
    select
        'index' as level, instansi_id, year, assessment, '' as code, indeks as value, source_id, framework_id,
        coalesce(note, '') as note, coalesce(predikat, '') as predikat, coalesce(source_detail, '') as source_detail
    from index_results
    where list_contains($instansi_ids, instansi_id)
),

domain_values as (
    select
        'domain' as level, instansi_id, year, assessment, domain_code as code, value, source_id, framework_id,
        coalesce(note, '') as note, '' as predikat, '' as source_detail
    from domain_results
    where list_contains($instansi_ids, instansi_id)
),

indicator_values as (
    select
        'indicator' as level, instansi_id, year, assessment, cast(indicator_no as varchar) as code,
        cast(level as double) as value, source_id, framework_id,
        coalesce(note, '') as note, '' as predikat, '' as source_detail
    from indicator_results
    where list_contains($instansi_ids, instansi_id)
)

select * from index_values
union all
select * from domain_values
union all
select * from indicator_values
order by level, instansi_id, year, assessment, code
