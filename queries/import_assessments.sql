-- import_assessments: the assessment codes with their kind, to tell which ones an import may carry
-- params: none
select assessment, kind, name_id, name_en
from assessments
order by assessment
