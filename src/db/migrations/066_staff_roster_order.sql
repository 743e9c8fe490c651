-- 066_staff_roster_order.sql — the district's staff in roster order (institution, then id) without
-- a sort: the findings scan reads the whole roster of a district when every institution's findings
-- are computed again (the first read of a day, after a parameter's change), and the temporary
-- B-tree of 2,000 wide rows was a third of that read (src/staff/store.c, load_where).
CREATE INDEX staff_member_roster ON staff_member(district_code, institution_id, id);
