-- targets_for: the national targets and the targets set for one instansi, every year
-- params: $instansi_id
select
    scope,
    instansi_id,
    instansi_name,
    year,
    target_indeks,
    kind,
    source_id,
    note
from targets
where scope = 'nasional' or instansi_id = $instansi_id
order by scope, year, target_indeks
