-- domain_results_all: every domain value held (all instansi, years and assessments), for the dataset download
-- params: none
select * from domain_results
order by year, instansi_name, assessment, domain_code
