// The published package, proven as users meet it: `npm pack` of pkg/, installed into a scratch
// project outside the repository, then used from Node ESM and CommonJS, TypeScript --strict, a
// browser bundle in Chromium, the Cloudflare Workers runtime (workerd via miniflare), Deno and Bun.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCRATCH_FILES } from './scratch-files.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const SECRET = 'package-test-secret';
let scratch;
let tarball;

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'obmennik-user-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: path.join(root, 'pkg'), encoding: 'utf8' }));
  tarball = { file: path.join(scratch, packed[0].filename), files: packed[0].files.map((f) => f.path) };
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'scratch-user', private: true, type: 'module' }));
  sh('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball.file]);
  for (const [name, text] of Object.entries(SCRATCH_FILES)) {
    fs.mkdirSync(path.dirname(path.join(scratch, name)), { recursive: true });
    fs.writeFileSync(path.join(scratch, name), text);
  }
});

after(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

test('the tarball holds the package and nothing else', () => {
  const allowed = /^(obmennik_bg\.wasm|obmennik_node\.cjs|obmennik_web\.js|node\.cjs|node\.mjs|browser\.js|workerd\.js|errors\.(cjs|mjs)|obmennik\.d\.c?ts|README\.md|CHANGELOG\.md|LICENSE|package\.json|widget\/[\w.-]+)$/;
  for (const file of tarball.files) assert.match(file, allowed, `unexpected file in the tarball: ${file}`);
  for (const needed of ['obmennik_bg.wasm', 'node.cjs', 'node.mjs', 'browser.js', 'workerd.js', 'obmennik.d.ts', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    assert.ok(tarball.files.includes(needed), `${needed} missing`);
  }
  assert.ok(!tarball.files.some((f) => /test|\.rs$|Cargo|\.env|secret|\.map$/i.test(f)));
});

test('package.json: conditional exports, files, sideEffects, license, repository, keywords', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(scratch, 'node_modules/obmennik/package.json'), 'utf8'));
  const dot = manifest.exports['.'];
  assert.deepEqual(Object.keys(dot), ['types', 'workerd', 'worker', 'node', 'browser', 'import', 'default']);
  assert.equal(dot.node.require, './node.cjs');
  assert.equal(dot.node.import, './node.mjs');
  assert.equal(manifest.exports['./obmennik_bg.wasm'], './obmennik_bg.wasm');
  assert.ok(Array.isArray(manifest.files) && Array.isArray(manifest.sideEffects));
  assert.equal(manifest.license, 'MIT');
  assert.ok(manifest.repository && manifest.keywords.length >= 3);
});

test('the README has a quick start per runtime and an API table', () => {
  const readme = fs.readFileSync(path.join(scratch, 'node_modules/obmennik/README.md'), 'utf8');
  for (const heading of ['Node', 'TypeScript', 'Browser', 'Cloudflare Workers', 'Deno', 'Bun']) {
    assert.match(readme, new RegExp(`^#+ .*${heading}`, 'm'), `README lacks a ${heading} section`);
  }
  assert.match(readme, /^\| ?`sign\(/m);
});

test('Node ESM and CommonJS programs sign and verify with no init step', () => {
  for (const program of ['esm.mjs', 'cjs.cjs']) {
    const out = JSON.parse(sh(process.execPath, [program], { env: { ...process.env, SECRET } }));
    assert.equal(out.sign, '5c69e53c91bfd96cfc3e61604558107a314060ef', program);
    assert.equal(out.callbackType, 'payment', program);
    assert.equal(out.tamperedCode, 'sign_mismatch', program);
  }
});

test('the published .d.ts has no `any` and a doc comment on every export', () => {
  const dts = fs.readFileSync(path.join(scratch, 'node_modules/obmennik/obmennik.d.ts'), 'utf8');
  assert.doesNotMatch(dts, /\bany\b/);
  const lines = dts.split('\n');
  const undocumented = [];
  lines.forEach((line, i) => {
    if (/^export (declare )?(function|class|interface|type|const|enum) /.test(line)) {
      let j = i - 1;
      while (j >= 0 && lines[j].trim() === '') j--;
      if (!lines[j]?.trim().endsWith('*/')) undocumented.push(line.slice(0, 80));
    }
  });
  assert.deepEqual(undocumented, []);
});

test('tsc --strict --noEmit accepts a sample that uses every public function and type', () => {
  const dts = fs.readFileSync(path.join(scratch, 'node_modules/obmennik/obmennik.d.ts'), 'utf8');
  const exported = [...dts.matchAll(/^export (?:declare )?(?:function|class|interface|type|const|enum) (\w+)/gm)].map((m) => m[1]);
  const sample = SCRATCH_FILES['sample.ts'];
  const unused = exported.filter((name) => !new RegExp(`\\b${name}\\b`).test(sample));
  assert.deepEqual(unused, [], 'the TypeScript sample must use every export');
  sh(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--project', 'tsconfig.json']);
});

test('Deno and Bun run the ESM program from the installed package', () => {
  const env = { ...process.env, SECRET, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  const deno = JSON.parse(sh(bin('deno'), ['run', '--quiet', '--allow-read', '--allow-env', '--node-modules-dir=manual', 'esm.mjs'], { env }));
  assert.equal(deno.sign, '5c69e53c91bfd96cfc3e61604558107a314060ef');
  assert.equal(deno.tamperedCode, 'sign_mismatch');
  const bun = JSON.parse(sh(bin('bun'), ['esm.mjs'], { env }));
  assert.equal(bun.sign, '5c69e53c91bfd96cfc3e61604558107a314060ef');
  assert.equal(bun.callbackType, 'payment');
});

test('a Cloudflare Worker (workerd) verifies a gateway callback over HTTP', async () => {
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
    bindings: { SECRET },
    compatibilityDate: '2025-01-01',
  });
  try {
    const url = await mf.ready;
    const body = callbackBody();
    const ok = await fetch(new URL('/ipn', url), { method: 'POST', body });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { ok: true, type: 'payment', amount: '153.00' });
    const bad = await fetch(new URL('/ipn', url), { method: 'POST', body: body.replace('153.00', '999.00') });
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { ok: false, code: 'sign_mismatch' });
  } finally {
    await mf.dispose();
  }
});

test('a browser bundle built with esbuild from the install runs in Chromium', async () => {
  sh(process.execPath, ['build-browser.mjs', bin('esbuild')]);
  const server = http.createServer((req, res) => {
    const file = path.join(scratch, 'browser-dist', new URL(req.url, 'http://x').pathname.slice(1) || 'index.html');
    if (!file.startsWith(path.join(scratch, 'browser-dist')) || !fs.existsSync(file)) return res.writeHead(404).end();
    const type = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' }[path.extname(file)];
    res.writeHead(200, { 'content-type': type || 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 15000 });
    const result = await page.evaluate(() => window.__result);
    assert.deepEqual(errors, []);
    assert.equal(result.sign, '5c69e53c91bfd96cfc3e61604558107a314060ef');
    assert.equal(result.tamperedCode, 'sign_mismatch');
  } finally {
    await browser.close();
    server.close();
  }
});

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function callbackBody() {
  const code = `import { signJson } from 'obmennik';
const raw = JSON.stringify({ 'mychanger.icu': '2.3', type: 'payment', id: 1, amount: '153.00', status: 3 });
process.stdout.write(raw.slice(0, -1) + ',"sign":"' + signJson(raw, process.env.SECRET) + '"}');`;
  fs.writeFileSync(path.join(scratch, 'make-callback.mjs'), code);
  return sh(process.execPath, ['make-callback.mjs'], { env: { ...process.env, SECRET } });
}
