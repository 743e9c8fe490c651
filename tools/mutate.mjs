#!/usr/bin/env node
// mutate.mjs — plants each curated bug of tests/mutants/ (one at a time) in a scratch copy of the
// tree, rebuilds, runs the unit tests and the SQLite API tests against it and prints the kill
// table. Exits 1 when a mutant survives, is stale (its snippet is not found exactly once) or does
// not compile. The working tree is only read.
//
//   node tools/mutate.mjs [--no-baseline] [NAME...]     (make mutate [MUTANTS="NAME ..."])
//   node tools/mutate.mjs --build NAME                  only build the mutant: MUTATE_DIR/NAME.tuoyu
//
// The scratch copy is MUTATE_DIR (default build-mutate/ beside the sources): tree/ is synced from
// the working tree (tracked and untracked files, web/ left out; unchanged files keep their copy so
// builds stay incremental) and builds into tree/build/; logs/NAME.log holds each run's output.
// First the unmutated copy must pass everything (the baseline, its API files run side by side;
// --no-baseline skips it). Then for
// each mutant: apply, `make bin`, run the test files one at a time — those its `tests:` line names
// first, then every unit test binary, then every tests/api file on SQLite — and stop at the first
// that fails (killed). A mutant passing them all survived. The original file is then restored.
import { spawnSync } from 'node:child_process';
import {
  existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync, symlinkSync, lstatSync, statSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mutantDir = join(root, 'tests/mutants');
const scratch = resolve(root, process.env.MUTATE_DIR || 'build-mutate');
const tree = join(scratch, 'tree');
const logs = join(scratch, 'logs');
const jobs = process.env.MUTATE_JOBS || '2';
// a test file still running after this long has hung on the mutant: stopped, and it counts as a kill
const fileTimeout = Number(process.env.MUTATE_TEST_TIMEOUT_MS || 120000);

// ---- mutant files -------------------------------------------------------------------------------
// Header lines `rule: ...` (required), `tests: FILE ...` (optional), `test names: REGEX` (optional:
// the named API test files run only their tests whose names match, first; the whole list follows
// as ever if they do not kill the mutant), `#` comments; then blocks
//   @@ find PATH        the exact original text: its lines joined by newlines, no final newline
//                       (so it may begin and end mid-line)
//   @@ replace          its replacement (may be empty)
// one or more, and `@@ end`. Each find text must occur exactly once when its block is applied.
function parseMutant(name, text) {
  const m = { name, rule: '', tests: [], names: '', edits: [] };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let i = 0;
  const fail = (why) => { throw new Error(`tests/mutants/${name}.mutant line ${i + 1}: ${why}`); };
  for (; i < lines.length && !lines[i].startsWith('@@'); i++) {
    const l = lines[i];
    if (l.startsWith('#') || l.trim() === '') continue;
    const kv = /^(rule|tests|test names):\s*(.*)$/.exec(l);
    if (!kv) fail(`expected "rule:", "tests:", "test names:" or "@@ find PATH", got: ${l}`);
    if (kv[1] === 'rule') m.rule = kv[2].trim();
    else if (kv[1] === 'tests') m.tests = kv[2].split(/\s+/).filter(Boolean);
    else m.names = kv[2].trim();
  }
  if (!m.rule) fail('no "rule:" line');
  if (m.names && !m.tests.some((t) => t.startsWith('tests/api/'))) fail('"test names:" without an API test file in "tests:"');
  let ended = false;
  while (i < lines.length) {
    const head = /^@@ find (\S+)$/.exec(lines[i]);
    if (lines[i] === '@@ end') { ended = true; i++; break; }
    if (!head) fail(`expected "@@ find PATH" or "@@ end", got: ${lines[i]}`);
    const find = [], repl = [];
    for (i++; i < lines.length && !lines[i].startsWith('@@'); i++) find.push(lines[i]);
    if (lines[i] !== '@@ replace') fail('expected "@@ replace"');
    for (i++; i < lines.length && !lines[i].startsWith('@@'); i++) repl.push(lines[i]);
    if (find.length === 0 || find.join('').trim() === '') fail('empty find text');
    m.edits.push({ file: head[1], find: find.join('\n'), replace: repl.join('\n') });
  }
  if (!ended) fail('no "@@ end"');
  if (i < lines.length) fail('text after "@@ end"');
  if (m.edits.length === 0) fail('no "@@ find" block');
  return m;
}

function occurrences(text, s) {
  let n = 0;
  for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + s.length)) n++;
  return n;
}

// The mutated contents of each file, or throws "stale mutant" naming the snippet.
function plant(m, dir) {
  const files = new Map();
  for (const ed of m.edits) {
    const src = join(dir, ed.file);
    if (!files.has(ed.file)) {
      if (!existsSync(src)) throw new Error(`stale mutant ${m.name}: ${ed.file} does not exist`);
      files.set(ed.file, readFileSync(src, 'utf8'));
    }
    const text = files.get(ed.file);
    const n = occurrences(text, ed.find);
    if (n !== 1) {
      throw new Error(`stale mutant ${m.name}: its snippet occurs ${n} times in ${ed.file}, not exactly once:\n${ed.find}`);
    }
    files.set(ed.file, text.replace(ed.find, () => ed.replace));
  }
  return files;
}

// Plants m in the scratch tree, runs fn, and puts the original files back whatever happens.
function withMutant(m, fn) {
  const planted = plant(m, tree);
  const originals = new Map([...planted.keys()].map((f) => [f, readFileSync(join(tree, f))]));
  try {
    for (const [f, text] of planted) writeFileSync(join(tree, f), text);
    return fn();
  } finally {
    for (const [f, text] of originals) writeFileSync(join(tree, f), text);
  }
}

// ---- the scratch tree ---------------------------------------------------------------------------
function sh(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
}

function syncTree() {
  const ls = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr}`);
  const wanted = new Set(ls.stdout.split('\0').filter((f) => f && !f.startsWith('web/') && existsSync(join(root, f)) && statSync(join(root, f)).isFile()));
  let copied = 0, removed = 0;
  for (const f of wanted) {
    const from = readFileSync(join(root, f)), to = join(tree, f);
    if (existsSync(to) && readFileSync(to).equals(from)) continue;
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, from, { mode: statSync(join(root, f)).mode });
    copied++;
  }
  // files gone from the working tree go from the copy too (the Makefile builds every src/*.c)
  const walk = (rel) => {
    for (const e of readdirSync(join(tree, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (p === 'build' || p === 'tests/node_modules') continue;
      if (e.isDirectory()) walk(p);
      else if (!wanted.has(p)) { rmSync(join(tree, p)); removed++; }
    }
  };
  walk('');
  const modules = join(tree, 'tests/node_modules');
  if (existsSync(join(root, 'tests/node_modules')) && !lstatExists(modules)) symlinkSync(join(root, 'tests/node_modules'), modules);
  return { copied, removed };
}

function lstatExists(p) { try { lstatSync(p); return true; } catch { return false; } }

// the environment of sub-processes: no jobserver of an outer make, tests on SQLite
const env = { ...process.env, TUOYU_BIN: join(tree, 'build/tuoyu'), TUOYU_DB_KIND: 'sqlite' };
for (const k of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[k];

function make(targets, log) {
  const r = sh('make', ['-j', jobs, ...targets], { cwd: tree, env });
  log(`$ make ${targets.join(' ')}\n${r.stdout}${r.stderr}`);
  return r.status === 0;
}

function unitTests() {
  return readdirSync(join(tree, 'tests/unit')).filter((f) => /^test_.*\.c$/.test(f)).sort().map((f) => `build/tests/${f.slice(0, -2)}`);
}
function apiTests() {
  return readdirSync(join(tree, 'tests/api')).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => `tests/api/${f}`);
}

// Runs one test file (a unit test binary, or an API test file; of the latter only the tests whose
// names match `names`, when given); true when it passes.
function runTest(t, log, names = '') {
  let r;
  if (t.startsWith('build/tests/')) {
    if (!make([t], log)) return false;
    r = sh(join(tree, t), [], { cwd: tree, env, timeout: fileTimeout });
  } else if (t.startsWith('tests/api/')) {
    const only = names ? [`--test-name-pattern=${names}`] : [];
    r = sh(process.execPath, ['--test', '--test-concurrency=1', `--test-timeout=${fileTimeout}`, ...only, t], { cwd: tree, env });
  } else {
    throw new Error(`unknown test "${t}" (a unit test binary build/tests/test_X or a tests/api file)`);
  }
  log(`$ ${t}${names ? ` (test names: ${names})` : ''}\n${r.stdout}${r.stderr}`);
  return r.status === 0;
}

// ---- main -----------------------------------------------------------------------------------------
const args = process.argv.slice(2);
const baseline = !args.includes('--no-baseline');
const buildOnly = args.includes('--build');
const only = args.filter((a) => !a.startsWith('--'));
if (buildOnly && only.length !== 1) throw new Error('--build takes one mutant name');
const started = Date.now();
const secs = (t0) => Math.round((Date.now() - t0) / 1000);

let mutants = readdirSync(mutantDir).filter((f) => f.endsWith('.mutant')).sort()
  .map((f) => parseMutant(f.slice(0, -'.mutant'.length), readFileSync(join(mutantDir, f), 'utf8')));
for (const n of only) if (!mutants.some((m) => m.name === n)) throw new Error(`no mutant ${n} in tests/mutants/`);
if (only.length) mutants = mutants.filter((m) => only.includes(m.name));

mkdirSync(tree, { recursive: true });
rmSync(logs, { recursive: true, force: true });
mkdirSync(logs, { recursive: true });
const synced = syncTree();
console.log(`mutate: ${mutants.length} mutants; scratch copy ${tree} (${synced.copied} files copied, ${synced.removed} removed)`);
const all = [...unitTests(), ...apiTests()];
for (const m of mutants) for (const t of m.tests) if (!all.includes(t)) throw new Error(`mutant ${m.name}: unknown test ${t}`);

if (buildOnly) {
  const [m] = mutants;
  const out = join(scratch, `${m.name}.tuoyu`);
  const built = withMutant(m, () => make(['bin'], (text) => process.stderr.write(`${text}\n`)));
  if (!built) process.exit(1);
  writeFileSync(out, readFileSync(join(tree, 'build/tuoyu')), { mode: 0o755 });
  console.log(out);
  process.exit(0);
}

if (baseline) {
  const t0 = Date.now();
  const out = [];
  const log = (s) => out.push(s);
  // the unit tests one by one, the API files side by side (TEST_JOBS, as `make api-sqlite`): the
  // baseline only has to pass, so it need not stop at the first failure
  const apiPass = () => {
    const r = sh(process.execPath, ['--test', `--test-concurrency=${process.env.TEST_JOBS || 3}`, '--test-timeout=600000',
      ...apiTests()], { cwd: tree, env });
    log(`$ tests/api (${apiTests().length} files)\n${r.stdout}${r.stderr}`);
    return r.status === 0;
  };
  const failed = make(['bin'], log)
    ? [...unitTests().filter((t) => !runTest(t, log)), ...(apiPass() ? [] : ['an API test'])] : ['the build'];
  writeFileSync(join(logs, 'baseline.log'), out.join('\n'));
  if (failed.length) {
    console.error(`mutate: without any mutant, ${failed.join(', ')} failed — fix that first (see ${join(logs, 'baseline.log')})`);
    process.exit(2);
  }
  console.log(`mutate: baseline passes every unit and SQLite API test (${secs(t0)} s)`);
}

const rows = [];
for (const m of mutants) {
  const t0 = Date.now();
  const out = [];
  const log = (s) => out.push(s);
  const row = { name: m.name, rule: m.rule, result: '', by: '' };
  try {
    withMutant(m, () => {
      if (!make(['bin'], log)) {
        row.result = 'BROKEN';
        row.by = 'does not compile';
        return;
      }
      // the named files (only the named tests of them, when given), then every file whole
      const first = m.names ? m.tests.filter((t) => t.startsWith('tests/api/')) : [];
      const early = first.find((t) => !runTest(t, log, m.names));
      const order = [...m.tests, ...all.filter((t) => !m.tests.includes(t))];
      const killer = early || order.find((t) => !runTest(t, log));
      row.result = killer ? 'killed' : 'SURVIVED';
      row.by = killer ? `${killer}${early ? ` (${m.names})` : ''}` : `passed ${order.length} test files`;
    });
  } catch (err) {
    if (!/^stale mutant/.test(err.message)) throw err;
    row.result = 'STALE';
    row.by = err.message.split('\n')[0].replace(/^stale mutant \S+: /, '').replace(/:$/, '');
    console.error(`mutate: ${err.message}`);
  }
  row.seconds = secs(t0);
  writeFileSync(join(logs, `${m.name}.log`), `${m.rule}\n\n${out.join('\n')}`);
  console.log(`mutate: ${m.name}: ${row.result}${row.by ? ` (${row.by})` : ''}, ${row.seconds} s`);
  rows.push(row);
}

const w = Math.max(...rows.map((r) => r.name.length), 6);
const label = (rule) => rule.split(' — ')[0];
const lw = Math.max(...rows.map((r) => label(r.rule).length), 4);
console.log(`\n${'mutant'.padEnd(w)}  ${'rule'.padEnd(lw)}  ${'result'.padEnd(8)}  ${'s'.padStart(4)}  killed by`);
for (const r of rows) {
  console.log(`${r.name.padEnd(w)}  ${label(r.rule).padEnd(lw)}  ${r.result.padEnd(8)}  ${String(r.seconds).padStart(4)}  ${r.by}`);
}
const bad = rows.filter((r) => r.result !== 'killed');
console.log(`\nmutate: ${rows.length - bad.length} of ${rows.length} killed in ${secs(started)} s; logs in ${logs}`);
if (bad.length) {
  console.error(`mutate: FAILED — ${bad.map((r) => `${r.name} ${r.result.toLowerCase()} (${r.by})`).join('; ')}`);
  process.exit(1);
}
