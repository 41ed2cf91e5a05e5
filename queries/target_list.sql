-- target_list: every national and regional target held, for the dataset download
-- params: none
select * from targets
order by scope, year, instansi_name
