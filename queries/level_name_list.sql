-- level_name_list: the maturity level names of every framework and scale
-- params: none
select framework_id, scale, level, name_id, name_en
from level_names
order by framework_id, scale, level
