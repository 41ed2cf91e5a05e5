-- national_report_means: the national means (index and domains) printed in each year's own report, for comparison with the trend series
-- params: none
select year, scope, statistic, domain_code, value, source_id, source_detail, comment
from national_results
where series = 'category_average' and scope = 'nasional' and statistic = 'mean'
order by year, domain_code nulls first
