-- index_by_year: every instansi's official index for one year, with category, province, predikat and source
-- params: $year
with official as (
    select * from index_results where year = $year and assessment = 'official'
)

select
    official.instansi_id,
    official.instansi_name,
    official.category,
    official.province,
    instansi.subcategory,
    official.year,
    official.framework_id,
    official.assessment,
    official.kind,
    official.indeks,
    official.predikat,
    official.source_id,
    official.source_detail,
    official.year_attributed,
    official.provenance,
    official.predikat_basis,
    official.note
from official
left join instansi using (instansi_id)
order by official.indeks desc, official.instansi_name
