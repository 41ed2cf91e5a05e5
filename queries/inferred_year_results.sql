-- inferred_year_results: results whose year is inferred from the source's publication date (year_attributed)
-- params: none
select instansi_id, instansi_name, year, assessment, indeks, predikat, source_id, note
from index_results
where year_attributed
order by instansi_name, year
