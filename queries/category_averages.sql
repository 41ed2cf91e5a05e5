-- category_averages: the averages printed in the national report tables for one year, per scope, statistic and domain
-- params: $year
select
    year,
    scope,
    statistic,
    domain_code,
    value,
    source_id,
    source_detail,
    comment
from national_results
where series = 'category_average' and year = $year
order by scope, statistic, domain_code nulls first
