-- 048_population.sql — towns' population by year (issue 19 item 2): resident population (常住人口),
-- children under 3 (3岁以下婴幼儿) and births (出生人口) of each town and year, entered or imported by
-- the district with their source (统计年鉴, 公安户籍, 卫健出生登记 …). The dashboard's places per
-- 1,000 residents divides by the latest year not after today's (and says which year); before this
-- table the town row held one figure, which only the demo generator could set — it is carried over.
CREATE TABLE town_population (
    district_code TEXT NOT NULL,
    town_code     TEXT NOT NULL REFERENCES town(code),
    year          INTEGER NOT NULL,
    residents     BIGINT NOT NULL,
    under3        BIGINT,          -- NULL: not known for the year
    births        BIGINT,
    source        TEXT NOT NULL,
    updated_by    BIGINT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (town_code, year)
);
INSERT INTO town_population (district_code, town_code, year, residents, source, updated_at)
    SELECT district_code, code, population_year, population, '迁移自镇街记录', {{NOW}} FROM town
    WHERE population > 0 AND population_year IS NOT NULL;
