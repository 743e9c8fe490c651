-- 044_stations.sql — 婴幼儿成长驿站 (growth stations, C6.1; seed 四(二)5): a station is a registry
-- institution of operating model `station` (so search, the map and the station operator's scope
-- work as for any institution); its site record is here, with the day of its joint acceptance
-- (联合验收) by the health bureau and the town — a case of process station_accept
-- (src/cases/processes.c) — after which its subsidy (subsidy.station_max_fen, 003: ≤ 100,000 a
-- station after acceptance) is an entitlement in the ledger (src/funds/).
CREATE TABLE station_site (
    institution_id BIGINT PRIMARY KEY REFERENCES institution(id) ON DELETE CASCADE,
    district_code  TEXT NOT NULL,
    area_m2        DOUBLE PRECISION NOT NULL,
    surroundings   TEXT NOT NULL DEFAULT '',   -- what is around it (community, park, health centre …)
    weekly_visits  INTEGER NOT NULL DEFAULT 0, -- infant traffic: families a week (the station's estimate)
    services       TEXT NOT NULL DEFAULT '',   -- what it offers: codes separated by commas (stations.c)
    investment_fen BIGINT NOT NULL DEFAULT 0,  -- the investment assessed at acceptance, the subsidy's base
    accepted_on    TEXT,                       -- the day both parties signed; NULL before
    case_id        BIGINT,                     -- the acceptance case that accepted it
    updated_at     TEXT NOT NULL
);
