-- framework_item_list: every domain, aspect and indicator of every framework, for the dataset download
-- params: none
select * from framework_items
order by framework_id, level, code
