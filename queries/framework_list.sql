-- framework_list: the evaluation frameworks with their years in force, structure, verification status and sources
-- params: none
select
    framework_id,
    regulation,
    index_name,
    first_year,
    last_year,
    structure,
    level_min,
    level_max,
    verified,
    source_ids,
    note
from frameworks
order by first_year
