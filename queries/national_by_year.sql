-- national_by_year: the published national series and category statistics (mean, max, min, target) for one year
-- params: $year
select
    series,
    year,
    scope,
    statistic,
    domain_code,
    value,
    source_id,
    source_detail
from national_results
where year = $year
order by series, scope, statistic, domain_code nulls first
