-- source_list: the documents every value cites, for source notes under charts
-- params: none
select source_id, kind, title, publisher, date, url_or_reference
from sources
order by source_id
