// The published package, proven as users meet it: `npm pack` of pkg/, installed into a scratch
// project outside the repository, then used from Node ESM and CommonJS, TypeScript --strict, a
// browser bundle in Chromium (the SDK, the proxy and the widget), the Cloudflare Workers
// runtime (workerd via miniflare), Deno and Bun — against the sandbox gateway and exchanger.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { SCRATCH_FILES } from './scratch-files.mjs';
import { startGateway } from '../../www-demo/sandbox/gateway.mjs';
import { startExchanger, DEMO_LOGIN, DEMO_KEY } from '../../www-demo/sandbox/exchanger.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const SHOP = { shopID: 522, apiKey: 'package-test-api-key-41d0', secretKey: 'package-test-secret-77ab' };
const SIGN_VECTOR = '5c69e53c91bfd96cfc3e61604558107a314060ef'; // the seed's sign({param1: 1, param2: 2}, 'KKKeeey')
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

// Exactly what the tarball holds: a new file must be added here on purpose.
const TARBALL_FILES = [
  'CHANGELOG.md', 'LICENSE', 'README.md', 'browser.js', 'core/browser.js', 'core/node.cjs', 'core/node.mjs',
  'core/obmennik-core.d.cts', 'core/obmennik-core.d.ts', 'core/obmennik_core_bg.wasm', 'core/obmennik_core_node.cjs',
  'core/obmennik_core_web.js', 'core/workerd.js', 'errors.cjs', 'errors.mjs', 'load-wasm.js', 'node-listener.cjs',
  'node-listener.mjs', 'node.cjs', 'node.mjs', 'obmennik.d.cts', 'obmennik.d.ts', 'obmennik_bg.wasm',
  'obmennik_node.cjs', 'obmennik_web.js', 'package.json', 'widget/core_bg.wasm',
  'widget/obmennik-widget.d.ts', 'widget/obmennik-widget.js', 'widget/server.js', 'workerd.js',
];

let scratch;
let tarball;
let gw;
let ex;
let user; // the installed package, loaded in this process as a Node user's server would

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, ...opts });
}

/** Runs a program of the scratch project and returns its JSON output; its stderr on failure. */
async function runProgram(cmd, args, env = {}) {
  try {
    const { stdout } = await promisify(execFile)(cmd, args, {
      cwd: scratch, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', ...env },
    });
    return JSON.parse(stdout);
  } catch (err) {
    assert.fail(`${path.basename(cmd)} ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
  }
}

const serverEnv = () => ({
  GATEWAY_URL: gw.url, SHOP_ID: String(SHOP.shopID), GATEWAY_API_KEY: SHOP.apiKey, GATEWAY_SECRET_KEY: SHOP.secretKey,
  EXCHANGER_URL: ex.url, API_LOGIN: DEMO_LOGIN, API_KEY: DEMO_KEY,
});

/** The exchanger sandbox asked directly over its wire, without the SDK. */
async function exchangerWire(method, params = {}) {
  const res = await fetch(new URL(`${method}/`, ex.url), {
    method: 'POST',
    headers: { 'API-LOGIN': DEMO_LOGIN, 'API-KEY': DEMO_KEY, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const answer = JSON.parse(await res.text());
  assert.equal(String(answer.error), '0', `${method}: ${answer.error_text}`);
  return answer.data;
}

async function until(check, what, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

before(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'obmennik-user-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: path.join(root, 'pkg'), encoding: 'utf8' }));
  tarball = { file: path.join(scratch, packed[0].filename), files: packed[0].files.map((f) => f.path) };
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-user', private: true, type: 'module' }));
  sh('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball.file]);
  for (const [name, text] of Object.entries(SCRATCH_FILES)) {
    fs.mkdirSync(path.dirname(path.join(scratch, name)), { recursive: true });
    fs.writeFileSync(path.join(scratch, name), text);
  }
  user = createRequire(path.join(scratch, 'package.json'))('obmennik');
  gw = await startGateway({ tickMs: 50, callbackRetryMs: 50, versionKey: '127.0.0.1', rateLimitPerSecond: 1000, shops: [SHOP] });
  // Bids stay as created during the run: no ticks move them on.
  ex = await startExchanger({ tickMs: 600_000 });
});

after(async () => {
  await gw?.close();
  await ex?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

test('the tarball holds exactly the package: no test, build or secret file', () => {
  assert.deepEqual([...tarball.files].sort(), TARBALL_FILES);
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'pkg-template/package.json'), 'utf8'));
  assert.deepEqual(
    manifest.files.flatMap((entry) => (entry.endsWith('/') ? TARBALL_FILES.filter((f) => f.startsWith(entry)) : [entry])).concat('package.json').sort(),
    TARBALL_FILES,
    'package.json "files" names each file (or folder) of the tarball',
  );
});

test('package.json: conditional exports, files, sideEffects, license, repository, keywords', () => {
  const dir = path.join(scratch, 'node_modules/obmennik');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const dot = manifest.exports['.'];
  // No `worker` condition: webpack's webworker target and Vercel's edge add it and cannot import
  // a `.wasm` as a module, which the workerd entry does; wrangler adds `workerd` first.
  assert.deepEqual(Object.keys(dot), ['types', 'workerd', 'node', 'browser', 'import', 'default']);
  assert.deepEqual(dot.types, { import: './obmennik.d.ts', require: './obmennik.d.cts' });
  assert.deepEqual(dot.node, { import: './node.mjs', require: './node.cjs' });
  assert.equal(dot.workerd, './workerd.js');
  assert.equal(dot.browser, './browser.js');
  // obmennik/core: the same conditions, each to its counterpart in core/.
  const core = manifest.exports['./core'];
  assert.deepEqual(Object.keys(core), Object.keys(dot));
  assert.deepEqual(core.types, { import: './core/obmennik-core.d.ts', require: './core/obmennik-core.d.cts' });
  assert.deepEqual(core.node, { import: './core/node.mjs', require: './core/node.cjs' });
  for (const condition of ['workerd', 'browser', 'import', 'default']) assert.equal(core[condition], dot[condition].replace('./', './core/'), condition);
  assert.equal(manifest.exports['./core/obmennik_core_bg.wasm'], './core/obmennik_core_bg.wasm');
  const widget = manifest.exports['./widget'];
  assert.deepEqual(Object.keys(widget), ['types', 'workerd', 'worker', 'deno', 'node', 'browser', 'default']);
  assert.equal(widget.browser, './widget/obmennik-widget.js');
  assert.equal(widget.node, './widget/server.js');
  assert.equal(manifest.exports['./obmennik_bg.wasm'], './obmennik_bg.wasm');
  assert.equal(manifest.exports['./widget/core_bg.wasm'], './widget/core_bg.wasm');
  // Every target of every export condition is in the tarball.
  const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
  for (const target of targets(manifest.exports)) assert.ok(tarball.files.includes(target.slice(2)), `export target ${target} is in the tarball`);
  for (const field of ['main', 'module', 'browser', 'types']) assert.ok(tarball.files.includes(manifest[field].slice(2)), `${field} exists`);
  // A module with side effects on import must be listed, or bundlers may drop it.
  assert.deepEqual(manifest.sideEffects, [
    './workerd.js', './node.cjs', './node.mjs', './obmennik_node.cjs',
    './core/workerd.js', './core/node.cjs', './core/node.mjs', './core/obmennik_core_node.cjs', './widget/obmennik-widget.js',
  ]);
  assert.equal(manifest.license, 'MIT');
  assert.ok(fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8').startsWith('MIT License'));
  assert.equal(manifest.repository.type, 'git');
  assert.ok(manifest.keywords.length >= 5 && manifest.keywords.includes('wasm'));
  assert.equal(manifest.engines.node, '>=20');
  assert.equal(manifest.version, fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8').match(/^version\s*=\s*"([^"]+)"/m)[1]);
});

/** Names exported by a declaration file. */
function exportedNames(dts) {
  return [...dts.matchAll(/^export (?:declare )?(?:default )?(?:function|class|interface|type|const|enum) (\w+)/gm)].map((m) => m[1]);
}

const declarationFiles = () => ['obmennik.d.ts', 'obmennik.d.cts', 'core/obmennik-core.d.ts', 'core/obmennik-core.d.cts', 'widget/obmennik-widget.d.ts']
  .map((file) => [file, fs.readFileSync(path.join(scratch, 'node_modules/obmennik', file), 'utf8')]);

test('the published .d.ts files have no `any` and a doc comment on every export and every class or interface member', () => {
  for (const [file, dts] of declarationFiles()) {
    assert.doesNotMatch(dts, /\bany\b/, file);
    const lines = dts.split('\n');
    const undocumented = [];
    let braces = 0;
    let parens = 0;
    let inBody = false;
    lines.forEach((line, i) => {
      const text = line.trim();
      const exported = braces === 0 && /^export (declare )?(default )?(function|class|interface|type|const|enum) /.test(text);
      // A method or property of an exported class or interface (not a parameter line of a
      // multi-line signature).
      const member = inBody && braces === 1 && parens === 0 && /^(static |readonly )*[\w$]+\??[(<:]/.test(text);
      if (exported || member) {
        let j = i - 1;
        while (j >= 0 && lines[j].trim() === '') j--;
        if (!lines[j]?.trim().endsWith('*/')) undocumented.push(`${file}:${i + 1}: ${text.slice(0, 80)}`);
      }
      if (braces === 0) inBody = /^export (declare )?(class|interface) /.test(text);
      const code = line.replace(/\/\*.*?\*\/|\/\/.*$/g, '');
      for (const c of code) {
        if (c === '{') braces++;
        else if (c === '}') braces--;
        else if (c === '(') parens++;
        else if (c === ')') parens--;
      }
    });
    assert.deepEqual(undocumented, [], `${file}: undocumented public items`);
  }
});

test('tsc --strict --noEmit accepts a sample that uses every public function and type', () => {
  for (const [file, dts] of declarationFiles()) {
    const names = exportedNames(dts);
    const sample = SCRATCH_FILES[file.startsWith('core/') ? 'sample-core.ts' : 'sample.ts'];
    assert.ok(names.length >= (file.startsWith('widget') ? 6 : file.startsWith('core/') ? 25 : 120), `${file}: found ${names.length} exports`);
    const unused = names.filter((name) => !new RegExp(`\\b${name}\\b`).test(sample));
    assert.deepEqual(unused, [], `the TypeScript sample must use every export of ${file}`);
  }
  try {
    sh(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--project', 'tsconfig.json']);
  } catch (err) {
    assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`);
  }
});

test('the README: quick start per runtime, the runtimes it ran on, an API table of every export', () => {
  const readme = fs.readFileSync(path.join(scratch, 'node_modules/obmennik/README.md'), 'utf8');
  assert.ok(readme.startsWith('# obmennik\n\n```sh\nnpm start '), 'the README starts with the two commands');
  for (const heading of ['Node', 'TypeScript', 'Browsers and bundlers', 'Cloudflare Workers', 'Deno', 'Bun']) {
    assert.match(readme, new RegExp(`^### ${heading}`, 'm'), `README lacks a ${heading} quick start`);
  }
  const versions = {
    Deno: sh(bin('deno'), ['--version']).match(/^deno (\S+)/)[1],
    Bun: sh(bin('bun'), ['--version']).trim(),
    Chromium: sh('/usr/bin/chromium', ['--version']).match(/Chromium (\d+)/)[1],
    miniflare: JSON.parse(fs.readFileSync(path.join(root, 'node_modules/miniflare/package.json'), 'utf8')).version,
    'Node.js': process.versions.node.split('.')[0],
    Vite: JSON.parse(fs.readFileSync(path.join(root, 'node_modules/vite/package.json'), 'utf8')).version,
    webpack: JSON.parse(fs.readFileSync(path.join(root, 'node_modules/webpack/package.json'), 'utf8')).version,
  };
  for (const [name, version] of Object.entries(versions)) {
    assert.ok(readme.includes(`${name} ${version}`), `the README says the tests ran on ${name} ${version}`);
  }
  const start = readme.indexOf('\n## API reference\n');
  assert.ok(start >= 0, 'the README has an API reference');
  const table = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const listed = new Set([...table.matchAll(/`([\w.]+)/g)].map((m) => m[1]));
  for (const [file, dts] of declarationFiles()) {
    const missing = exportedNames(dts).filter((name) => !listed.has(name));
    assert.deepEqual(missing, [], `the API reference lists every export of ${file}`);
  }
  assert.doesNotMatch(readme, /work in progress/i);
});

/** What every server program reports, checked against the sandboxes' own records. */
async function checkServerProgram(out, runtime) {
  assert.equal(out.sign, SIGN_VECTOR, runtime);
  const op = gw.operations().find((o) => o.uniqID === out.order);
  assert.ok(op, `${runtime}: the gateway holds the deposit`);
  assert.equal(out.deposit.id, op.id, runtime);
  assert.match(out.deposit.number, /^\d{16}$/, runtime);
  assert.deepEqual({ ...out.status, statusText: undefined }, { id: op.id, amount: '500.52', statusText: undefined }, runtime);
  assert.ok(['Pending', 'Approved'].includes(out.status.statusText), `${runtime}: ${out.status.statusText}`);
  assert.deepEqual(out.callback, { type: 'payment', id: op.id, status: 3, amount: '500.52' }, runtime);
  const delivered = gw.callbacks().filter((c) => c.url === out.statusURL);
  assert.ok(delivered.length >= 1 && delivered.every((c) => c.status === 200 && c.response === 'OK'), `${runtime}: the receiver accepted every callback`);
  assert.equal(out.tamperedCode, 'sign_mismatch', runtime);

  const wire = await exchangerWire('get_directions');
  assert.deepEqual(out.directions, wire.map((d) => String(d.direction_id)), `${runtime}: the sandbox's directions`);
  const bid = ex.bids().find((b) => b.apiId === out.order);
  assert.ok(bid, `${runtime}: the exchanger holds the bid`);
  assert.deepEqual(out.bid, { id: String(bid.id), hash: bid.hash, api_id: out.order, status: 'new', amount_get: bid.sumGetCom }, runtime);
  assert.equal(out.quote.sum_get_com, bid.sumGetCom, `${runtime}: the bid was made at the quoted amount`);
  assert.deepEqual(out.info, { id: String(bid.id), status: 'new' }, runtime);
  assert.equal(out.missingCode, 'not_found', runtime);
}

const WIDGET_SERVER_ERROR = "obmennik/widget: <obmennik-widget> runs in a browser (it needs the DOM). On the server, render the tag as HTML and import 'obmennik/widget' in the page.";

test('Node 20 ESM and CommonJS programs sign, take a verified gateway callback and call both sandboxes', async () => {
  const esm = await runProgram(process.execPath, ['esm.mjs'], serverEnv());
  await checkServerProgram(esm, 'node esm');
  assert.equal(esm.widget, WIDGET_SERVER_ERROR, 'obmennik/widget imports on a server, and says where it runs');
  const cjs = await runProgram(process.execPath, ['cjs.cjs'], serverEnv());
  await checkServerProgram(cjs, 'node cjs');
  // One wasm instance behind both entries: errors from one are instances of the other's classes.
  const esmSide = await import(path.join(scratch, 'node_modules/obmennik/node.mjs'));
  assert.equal(esmSide.sign, user.sign);
  assert.equal(esmSide.CallbackError, user.CallbackError);
});

/** What the obmennik/core program reports, in any runtime. */
function checkCoreProgram(out, runtime, suffix) {
  const installed = path.join(scratch, 'node_modules/obmennik');
  assert.equal(fileURLToPath(new URL(out.resolved.core, 'file:///')), path.join(installed, `core/node.${suffix}`), runtime);
  assert.equal(fileURLToPath(new URL(out.resolved.root, 'file:///')), path.join(installed, `node.${suffix}`), runtime);
  assert.equal(out.sign, out.rootSign, `${runtime}: the seed payment signs the same through both entries`);
  assert.match(out.sign, /^[0-9a-f]{40}$/);
  assert.equal(out.seed, SIGN_VECTOR, runtime);
  assert.deepEqual(out.callback, { type: 'payment', id: 7, amount: '153.00' }, runtime);
  assert.deepEqual(out.tampered, { code: 'sign_mismatch', rootClass: true, coreClass: true }, runtime);
  assert.deepEqual(out.exports, [
    'CallbackError', 'ExchangerError', 'MerchantError', 'ObmennikError', 'TransportError', 'ValidationError',
    'init', 'sign', 'signJson', 'signingString', 'verifyCallback', 'verifyCallbackRequest',
  ], runtime);
}

test('obmennik/core in Node ESM and CommonJS: the root entry\'s signatures and error classes, its own small wasm', async () => {
  checkCoreProgram(await runProgram(process.execPath, ['core-esm.mjs']), 'node esm', 'mjs');
  checkCoreProgram(await runProgram(process.execPath, ['core-cjs.cjs']), 'node cjs', 'cjs');
  const coreCjs = createRequire(path.join(scratch, 'package.json'))('obmennik/core');
  const coreEsm = await import(path.join(scratch, 'node_modules/obmennik/core/node.mjs'));
  assert.equal(coreEsm.sign, coreCjs.sign, 'one core instance behind both module systems');
  assert.equal(coreCjs.CallbackError, user.CallbackError);
  assert.ok(fs.statSync(path.join(scratch, 'node_modules/obmennik/core/obmennik_core_bg.wasm')).size < fs.statSync(path.join(scratch, 'node_modules/obmennik/obmennik_bg.wasm')).size / 2);
});

test('Deno and Bun run the ESM program from the installed package', async () => {
  const deno = await runProgram(bin('deno'), ['run', '--quiet', '--allow-read', '--allow-env', '--allow-net=127.0.0.1', '--node-modules-dir=manual', 'esm.mjs'],
    { ...serverEnv(), DENO_NO_UPDATE_CHECK: '1' });
  await checkServerProgram(deno, 'deno');
  assert.equal(deno.widget, WIDGET_SERVER_ERROR);
  const bun = await runProgram(bin('bun'), ['esm.mjs'], serverEnv());
  await checkServerProgram(bun, 'bun');
  assert.equal(bun.widget, WIDGET_SERVER_ERROR);
  checkCoreProgram(await runProgram(bin('deno'), ['run', '--quiet', '--allow-read', '--node-modules-dir=manual', 'core-esm.mjs'], { DENO_NO_UPDATE_CHECK: '1' }), 'deno', 'mjs');
  checkCoreProgram(await runProgram(bin('bun'), ['core-esm.mjs']), 'bun', 'mjs');
});

test('a Cloudflare Worker (workerd) verifies the gateway callback and serves the exchanger proxy over HTTP', async () => {
  const { Miniflare } = await import(path.join(root, 'node_modules/miniflare/dist/src/index.js'));
  sh(process.execPath, ['build-worker.mjs', bin('esbuild')]);
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(scratch, 'worker-dist/worker.js'),
    modulesRoot: path.join(scratch, 'worker-dist'),
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    bindings: { GATEWAY_URL: gw.url, GATEWAY_SECRET_KEY: SHOP.secretKey, EXCHANGER_URL: ex.url, API_LOGIN: DEMO_LOGIN, API_KEY: DEMO_KEY },
    compatibilityDate: '2025-01-01',
  });
  try {
    const url = await mf.ready;
    // The gateway sends its callbacks about a deposit to the Worker.
    const statusURL = new URL('/ipn', url).href;
    const gateway = new user.MerchantClient({ baseUrl: gw.url, shopId: SHOP.shopID, apiKey: SHOP.apiKey });
    const deposit = await gateway.payment({ uniqID: `worker-${Date.now()}`, currID: 86, amount: '153.00', statusURL });
    const approved = await until(() => gw.callbacks().find((c) => c.url === statusURL && c.status === 200 && JSON.parse(c.response).status === 3), 'the approved callback');
    assert.deepEqual(JSON.parse(approved.response), { ok: true, type: 'payment', id: deposit.id, status: 3, amount: '153.00' });
    const tampered = await fetch(statusURL, { method: 'POST', body: approved.body.replace('153.00', '999.00') });
    assert.equal(tampered.status, 400);
    assert.deepEqual(await tampered.json(), { ok: false, code: 'sign_mismatch' });
    // The same callback through obmennik/core in the same Worker.
    const ipnCore = new URL('/ipn-core', url);
    const viaCore = await fetch(ipnCore, { method: 'POST', body: approved.body });
    assert.deepEqual(await viaCore.json(), { ok: true, type: 'payment', id: deposit.id, status: 3, amount: '153.00' });
    const tamperedCore = await fetch(ipnCore, { method: 'POST', body: approved.body.replace('153.00', '999.00') });
    assert.equal(tamperedCore.status, 400);
    assert.deepEqual(await tamperedCore.json(), { ok: false, code: 'sign_mismatch', core: true });

    // The proxy, running in workerd, in front of the sandbox exchanger on 127.0.0.1.
    const call = async (method, params) => {
      const res = await fetch(new URL(`/exchange-api/${method}`, url), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params),
      });
      return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
    };
    const directions = await call('get_directions', {});
    assert.equal(directions.status, 200);
    assert.equal(directions.type, 'application/json; charset=utf-8');
    assert.deepEqual(directions.body.data.map((d) => d.direction_id), (await exchangerWire('get_directions')).map((d) => String(d.direction_id)));
    const calc = await call('get_calc', { direction_id: 2, calc_amount: '10000' });
    const direct = new user.ExchangerClient({ baseUrl: ex.url, login: DEMO_LOGIN, key: DEMO_KEY });
    assert.equal(calc.body.data.sum_get_com, (await direct.getCalc({ direction_id: 2, calc_amount: '10000' })).sum_get_com);
    const apiId = `worker-${crypto.randomUUID()}`;
    const created = await call('create_bid', {
      direction_id: 2, calc_amount: '10000', api_id: apiId, account1: '2202 2000 1111 2222', cfgive8: 'IVAN IVANOV',
      account2: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', cf1: 'Ivan', cf6: 'ivan@example.com',
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const stored = ex.bids().find((b) => b.apiId === apiId);
    assert.ok(stored, 'the sandbox holds the bid made through the Worker');
    assert.equal(created.body.data.hash, stored.hash);
    const info = await call('bid_info', { hash: stored.hash });
    assert.deepEqual([info.status, info.body.data.id, info.body.data.status], [200, String(stored.id), 'new']);
    const byId = await call('bid_info', { id: stored.id });
    assert.equal(byId.status, 400);
    assert.equal(byId.body.error.kind, 'bad_request');
    const refused = await call('get_exchanges', {});
    assert.deepEqual([refused.status, refused.body.error.kind], [403, 'method_not_allowed']);
  } finally {
    await mf.dispose();
  }
});

/** The README's quoted message as a pattern: each <placeholder> matches anything. */
function quotedMessage(readme, start) {
  const line = readme.split('\n').find((l) => l.startsWith(start));
  assert.ok(line, `the README quotes the message starting "${start}"`);
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<[a-z ]+>/g, '(.+)');
  return new RegExp(`^${escaped}$`);
}

test('a browser bundle built with esbuild from the install runs in Chromium: SDK, proxy and widget', async () => {
  sh(process.execPath, ['build-browser.mjs', bin('esbuild')]);
  const dist = path.join(scratch, 'browser-dist');
  const client = new user.ExchangerClient({ baseUrl: ex.url, login: DEMO_LOGIN, key: DEMO_KEY });
  const proxy = user.toNodeListener(user.createExchangerProxy({ client }));
  const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname.startsWith('/exchange-api/')) return proxy(req, res);
    // /broken/ serves only the page and the bundle: no .wasm file.
    const broken = pathname.startsWith('/broken/');
    const name = (broken ? pathname.slice('/broken'.length) : pathname).slice(1) || 'index.html';
    const file = path.join(dist, name);
    if (!/^[\w.-]+$/.test(name) || !fs.existsSync(file) || (broken && name.endsWith('.wasm'))) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const readme = fs.readFileSync(path.join(scratch, 'node_modules/obmennik/README.md'), 'utf8');
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 20_000 });
    const result = await page.evaluate(() => window.__result);
    assert.equal(result.failed, undefined);
    assert.deepEqual(errors, []);
    assert.equal(result.sign, SIGN_VECTOR);
    assert.equal(result.type, 'payment');
    assert.equal(result.tamperedCode, 'sign_mismatch');
    assert.deepEqual(result.core, { sign: SIGN_VECTOR, type: 'payment', tampered: { code: 'sign_mismatch', rootClass: true } });
    // The page's own calls to the proxy reach the sandbox.
    const wire = await exchangerWire('get_directions');
    assert.equal(result.directions.status, 200);
    assert.deepEqual(result.directions.body.data.map((d) => d.direction_id), wire.map((d) => String(d.direction_id)));
    assert.equal(result.calc.status, 200);
    assert.equal(result.calc.body.data.sum_get_com, (await client.getCalc({ direction_id: 2, calc_amount: '10000' })).sum_get_com);
    assert.deepEqual([result.refused.status, result.refused.body.error.kind], [403, 'method_not_allowed']);
    // The widget loaded the directions through the proxy and shows the chosen pair by name.
    assert.equal(result.widget.error, undefined, JSON.stringify(result.widget.error));
    assert.deepEqual(result.widget.ready, { lang: 'en', directions: wire.length, resumed: false });
    const { pick } = result;
    const shown = await page.waitForFunction(({ give, get }) => {
      const root = document.querySelector('obmennik-widget').shadowRoot;
      const text = (id) => root.querySelector(id)?.textContent ?? '';
      return text('#cur-give').includes(give) && text('#cur-get').includes(get) && root.querySelector('#amount-give:not([disabled])') !== null;
    }, { give: pick.currency_give_title, get: pick.currency_get_title }, { timeout: 10_000 }).then(() => true, () => false);
    assert.ok(shown, `the widget shows ${pick.currency_give_title} → ${pick.currency_get_title}`);
    assert.ok(wire.some((d) => d.currency_give_title === pick.currency_give_title && String(d.currency_get_id) === pick.currency_get_id));

    // The .wasm inlined in the script: no request for it.
    const inlinePage = await browser.newPage();
    const wasmRequests = [];
    inlinePage.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmRequests.push(r.url()); });
    await inlinePage.goto(`${origin}/inline.html`);
    await inlinePage.waitForFunction(() => window.__result !== undefined, null, { timeout: 20_000 });
    const inline = await inlinePage.evaluate(() => window.__result);
    assert.deepEqual(inline, { sign: SIGN_VECTOR, bytes: fs.statSync(path.join(scratch, 'node_modules/obmennik/obmennik_bg.wasm')).size });
    assert.deepEqual(wasmRequests, []);

    // Without the .wasm files: the errors the README quotes, word for word.
    const brokenPage = await browser.newPage();
    await brokenPage.goto(`${origin}/broken/index.html`);
    await brokenPage.waitForFunction(() => window.__result !== undefined, null, { timeout: 20_000 });
    const broken = await brokenPage.evaluate(() => window.__result);
    assert.equal(broken.failed, undefined);
    const initMessage = quotedMessage(readme, 'obmennik: could not load obmennik_bg.wasm from ').exec(broken.initError);
    assert.ok(initMessage, `init's error is the README's: ${broken.initError}`);
    assert.equal(initMessage[1], `${origin}/broken/obmennik_bg.wasm`);
    assert.equal(initMessage[2], `failed to fetch Wasm: 404 Not Found fetching '${initMessage[1]}'`);
    assert.ok(readme.includes("`failed to fetch Wasm: 404 Not Found fetching '<url>'`"), 'the README shows the cause of a 404');
    const widgetMessage = quotedMessage(readme, 'obmennik-widget: could not load core_bg.wasm ').exec(broken.widget.error?.message);
    assert.ok(widgetMessage, `the widget's error is the README's: ${JSON.stringify(broken.widget)}`);
    assert.equal(broken.widget.error.kind, 'load');
    assert.equal(broken.beforeInit.name, 'Error');
    assert.match(broken.beforeInit.message, /^obmennik: the \.wasm is not loaded yet\. Call `await init\(\)`/);
    assert.ok(readme.includes(`\n${broken.beforeInit.message}\n`), `the README quotes what a call before init() throws: ${broken.beforeInit.message}`);
    assert.deepEqual(broken.coreBeforeInit, broken.beforeInit, 'obmennik/core says the same before init()');
  } finally {
    await browser.close();
    server.close();
    server.closeAllConnections();
  }
});

/** Serves `dir` and the proxy (to the sandbox exchanger) on 127.0.0.1; records the .wasm requests. */
async function serveBuild(dir, wasmRequests) {
  const client = new user.ExchangerClient({ baseUrl: ex.url, login: DEMO_LOGIN, key: DEMO_KEY });
  const proxy = user.toNodeListener(user.createExchangerProxy({ client }));
  const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname.startsWith('/exchange-api/')) return proxy(req, res);
    if (pathname.endsWith('.wasm')) wasmRequests.push(pathname);
    const file = path.join(dir, pathname);
    if (!/^[\w/.-]+$/.test(pathname) || pathname.includes('..') || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => { server.close(); server.closeAllConnections(); } };
}

test('Vite 7 and webpack 5 builds of the README\'s browser code run in Chromium: init() with no argument, obmennik/core, the widget', async () => {
  sh(process.execPath, ['build-vite.mjs', path.join(root, 'node_modules/vite')], { timeout: 120_000 });
  sh(process.execPath, ['build-webpack.mjs', path.join(root, 'node_modules/webpack')], { timeout: 120_000 });
  const raw = JSON.stringify({ 'mychanger.icu': '2.3', type: 'payment', id: 1, amount: '153.00', status: 3 });
  const wire = await exchangerWire('get_directions');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    for (const [bundler, dist, pages, wasmPath] of [
      ['vite', 'vite-dist', ['vite-sdk.html', 'vite-widget.html'], /^\/assets\/(obmennik_bg|obmennik_core_bg|core_bg)-[\w-]+\.wasm$/],
      ['webpack', 'webpack-dist', ['sdk.html', 'widget.html'], /^\/[0-9a-f]{20}\.wasm$/],
    ]) {
      // No copy of the package's .wasm files next to the build: each is the bundler's asset.
      assert.ok(!fs.readdirSync(path.join(scratch, dist), { recursive: true }).some((f) => /(^|\/)(obmennik_bg|obmennik_core_bg|core_bg)\.wasm$/.test(f)), bundler);
      const wasmRequests = [];
      const site = await serveBuild(path.join(scratch, dist), wasmRequests);
      try {
        const open = async (name) => {
          const page = await browser.newPage();
          const errors = [];
          page.on('pageerror', (e) => errors.push(String(e)));
          await page.goto(`${site.origin}/${name}`);
          await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 20_000 });
          const result = await page.evaluate(() => window.__result);
          assert.deepEqual(errors, [], `${bundler} ${name}`);
          return result;
        };
        const sdk = await open(pages[0]);
        assert.deepEqual(sdk, {
          sign: SIGN_VECTOR, signJson: user.signJson(raw, 'browser-secret'), type: 'payment', tamperedCode: 'sign_mismatch',
          core: { sign: SIGN_VECTOR, type: 'payment' },
        }, `${bundler}: the browser's signatures are Node's`);
        const widget = await open(pages[1]);
        assert.deepEqual(widget, { ready: { lang: 'en', directions: wire.length, resumed: false } }, `${bundler}: the widget loaded its wasm and the directions`);
        assert.equal(wasmRequests.length, 3, `${bundler}: ${wasmRequests}`);
        for (const request of wasmRequests) assert.match(request, wasmPath, bundler);
      } finally {
        site.close();
      }
    }
  } finally {
    await browser.close();
  }
});
