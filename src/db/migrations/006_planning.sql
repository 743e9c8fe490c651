-- 006_planning.sql — planning (C10): the district's walking road network (the OSM file itself,
-- stored as a blob so both SQLite and PostgreSQL deployments keep it in the database; the newest
-- row is the one in use), communities (demand), candidate sites, and a cache of engine results
-- keyed by a hash of every input (network id, communities, sites, institutions, parameters, k).

CREATE TABLE road_network (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    name           TEXT NOT NULL,
    format         TEXT NOT NULL,              -- osm | pbf
    data           {{BLOB}} NOT NULL,          -- the file's bytes
    size_bytes     BIGINT NOT NULL,
    nodes          BIGINT NOT NULL,            -- nodes of the walking graph (largest component)
    edges          BIGINT NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL, max_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL, max_lat DOUBLE PRECISION NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX road_network_district ON road_network(district_code, id);

CREATE TABLE community (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    town_code      TEXT NOT NULL REFERENCES town(code),
    name           TEXT NOT NULL,
    lon            DOUBLE PRECISION NOT NULL,
    lat            DOUBLE PRECISION NOT NULL,
    population     BIGINT NOT NULL,
    children_0_3   BIGINT NOT NULL,
    is_new         INTEGER NOT NULL DEFAULT 0, -- 新建社区: target planning.new_community_places_per_1000
    created_at     TEXT NOT NULL
);
CREATE INDEX community_town ON community(district_code, town_code);

CREATE TABLE candidate_site (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    name           TEXT NOT NULL,
    lon            DOUBLE PRECISION NOT NULL,
    lat            DOUBLE PRECISION NOT NULL,
    kind           TEXT NOT NULL,              -- idle_premises | new_community
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);

CREATE TABLE planning_result (
    id             {{ID}},
    district_code  TEXT NOT NULL,
    kind           TEXT NOT NULL,              -- coverage | sites
    input_hash     TEXT NOT NULL,
    result         TEXT NOT NULL,              -- JSON
    computed_at    TEXT NOT NULL,
    UNIQUE (district_code, kind, input_hash)
);
