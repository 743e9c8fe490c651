-- 072_care_placement_indexes.sql — at province size (issue 20 item 4: 230,000 placements) an
-- institution's children in care and a child's placements were found by reading every placement
-- of the district or of the province: the checkups due of an institution took 600 ms, its day's
-- attendance sheet 20 ms, both now an index lookup (EXPLAIN-checked in tests/api/province_plans).
CREATE INDEX care_placement_institution ON care_placement(institution_id, end_date);
CREATE INDEX care_placement_child ON care_placement(child_id, start_date);
