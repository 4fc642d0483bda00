// The README's examples for the exchanger client and the proxy, run as written against the
// sandbox (only `from 'obmennik'` points at the built package), so the docs stay true.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startExchanger, DEMO_LOGIN, DEMO_KEY } from '../../www-demo/sandbox/exchanger.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = pathToFileURL(path.join(root, 'pkg/node.mjs')).href;

/** The ```js blocks of a README section, with the package import pointed at pkg/. */
function examples(section) {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  assert.ok(start >= 0, `README has a "${section}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const text = readme.slice(start, end < 0 ? undefined : end);
  return [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1].replaceAll("from 'obmennik'", `from '${entry}'`));
}

let ex;
let dir;
let env;
before(async () => {
  ex = await startExchanger({ tickMs: 3_600_000 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obmennik-readme-'));
  env = { ...process.env, EXCHANGER_URL: ex.url, API_LOGIN: DEMO_LOGIN, API_KEY: DEMO_KEY };
});
after(async () => {
  await ex.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(code, name) {
  const file = path.join(dir, `${name}.mjs`);
  fs.writeFileSync(file, code);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [file], { env, timeout: 60_000 }, (err, stdout, stderr) => (
      err ? reject(new Error(`${name} failed:\n${stderr}\n--- code ---\n${code}`)) : resolve(stdout)
    ));
  });
}

test('the exchanger client examples run', async () => {
  const [basics, bids, logs, callbacks] = examples('Exchanger client (user API v1)');
  assert.match(await run(basics, 'basics'), /→/);
  assert.match(await run(bids, 'bids'), /true true/);
  assert.match(await run(logs, 'logs'), /^POST \/api\/userapi\/v1\/test\/ #1: 200 in \d+ ms, done\n$/);
  await run(callbacks, 'callbacks');
});

test('the proxy examples run, the Workers one as a module', async () => {
  const [node, workers] = examples('Proxy for browsers');
  assert.match(await run(node, 'proxy'), /^200 /m);
  const file = path.join(dir, 'worker.mjs');
  fs.writeFileSync(file, workers);
  const worker = (await import(pathToFileURL(file).href)).default;
  const envVars = { EXCHANGER_URL: ex.url, API_LOGIN: DEMO_LOGIN, API_KEY: DEMO_KEY, PARTNER_ORIGIN: 'https://partner.example' };
  const res = await worker.fetch(new Request('https://shop.example/api/exchange/get_directions', {
    method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://partner.example' }, body: '{}',
  }), envVars);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), 'https://partner.example');
  assert.equal((await res.json()).data.length, 12);
});
