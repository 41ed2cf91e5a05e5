-- evaluation_years: the evaluation years for which any result is held
-- params: none
select distinct year
from index_results
order by year
