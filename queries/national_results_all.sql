-- national_results_all: every national and category statistic held, for the dataset download
-- params: none
select * from national_results
order by series, year, scope, statistic, domain_code nulls first
