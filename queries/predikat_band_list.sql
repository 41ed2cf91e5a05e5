-- predikat_band_list: the predikat bands of every framework (lower_inclusive and upper_inclusive say which edges a band holds)
-- params: none
select
    framework_id,
    rank,
    predikat,
    name_en,
    lower,
    upper,
    upper_inclusive,
    lower_inclusive
from predikat_bands
order by framework_id, rank
