// with-template.mjs — runs a test command with one demo database made for the whole run:
//   node tests/lib/with-template.mjs node --test … tests/api/
// Every test process would otherwise write the demo itself (about 3 s on PostgreSQL, more under
// ASan) before copying it for each server. The template is removed when this process exits.
import { spawn } from 'node:child_process';
import { demoTemplateForRun } from './server.mjs';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: node tests/lib/with-template.mjs COMMAND [ARG...]');
  process.exit(2);
}
const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...demoTemplateForRun() } });
for (const signal of ['SIGTERM', 'SIGINT']) process.removeAllListeners(signal);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
