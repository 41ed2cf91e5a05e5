-- predikat_band_list: the predikat bands of every framework (lower bound inclusive; upper exclusive except the top band)
-- params: none
select
    framework_id,
    rank,
    predikat,
    name_en,
    lower,
    upper,
    upper_inclusive
from predikat_bands
order by framework_id, rank
