-- instansi_list: every instansi with its category and province, for pickers and peer sets
-- params: none
select
    instansi_id,
    instansi_name,
    category,
    province,
    subcategory,
    kemendagri_code
from instansi
order by
    case category when 'provinsi' then 1 when 'kabupaten' then 2 when 'kota' then 2 else 3 end,
    province,
    instansi_name
