-- 004_towns.sql — the 13 towns/streets of 瓯海区 (330304): NBS 统计用区划代码 2023 (domain-rules §7).
-- Populations are filled by the demo generator or by an administrator (real figures per town not published).
INSERT INTO town (code, district_code, name, kind) VALUES ('330304001', '330304', '景山街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304002', '330304', '梧田街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304003', '330304', '南白象街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304004', '330304', '茶山街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304005', '330304', '娄桥街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304006', '330304', '新桥街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304007', '330304', '三垟街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304008', '330304', '瞿溪街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304009', '330304', '郭溪街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304010', '330304', '潘桥街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304011', '330304', '丽岙街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304012', '330304', '仙岩街道', 'street');
INSERT INTO town (code, district_code, name, kind) VALUES ('330304108', '330304', '泽雅镇', 'town');
INSERT INTO audit_head (district_code, seq, last_hash) VALUES ('330304', 0, '0000000000000000000000000000000000000000000000000000000000000000');
