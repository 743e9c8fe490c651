-- 018: the basis of two parameters in words their readers know (issue 12 item 14): no project
-- issue number and no name of another product in a source shown on the parameters page.
UPDATE param SET basis = '本平台设定（办托一件事材料上传，默认 20 MiB）'
 WHERE key = 'materials.max_file_bytes' AND basis = '本平台设定（issue 13：办托一件事材料上传，默认 20 MiB）';
UPDATE param SET basis = '国家未规定；暂按托小班比例，待瓯海区卫健局确认'
 WHERE key = 'ratio.mixed.children_per_caregiver' AND basis = '国家未规定；按托小班比例（TotSafe默认），待瓯海区卫健局确认';
