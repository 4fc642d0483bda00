// Runs every suite after `npm test` has provisioned and built: Rust lint and unit tests, then
// every `tests/**/*.test.{mjs,cjs}` with Node's test runner against the built package, real
// PHP, real Chromium and the sandboxes. Prints one closing line with the totals. With
// CI=true a skipped test is a failure: every suite must really run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ci = process.env.CI === 'true';
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(name, cmd, args, parse, env = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const tee = (stream, sink) => stream.on('data', (d) => { out += d; sink.write(d); });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('close', (code) => {
      const counts = parse(out);
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      if (code !== 0 || counts.failed > 0 || (ci && counts.skipped > 0)) {
        failures.push(`${name} (exit ${code}, ${counts.failed} failed, ${counts.skipped} skipped)`);
        if (code !== 0 && counts.failed === 0) totals.failed += 1; // a crash counts as a failure
      }
      console.log(`=== ${name}: exit ${code} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve();
    });
  });
}

const none = () => ({ passed: 1, failed: 0, skipped: 0 });
const cargoCounts = (out) => {
  const c = { passed: 0, failed: 0, skipped: 0 };
  for (const m of out.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/g)) {
    c.passed += +m[1];
    c.failed += +m[2];
    c.skipped += +m[3];
  }
  return c;
};
const nodeCounts = (out) => {
  const get = (label) => {
    const all = [...out.matchAll(new RegExp(`^[ℹ#] ${label} (\\d+)$`, 'gm'))];
    return all.length ? +all[all.length - 1][1] : 0;
  };
  return { passed: get('pass'), failed: get('fail') + get('cancelled'), skipped: get('skipped') + get('todo') };
};

function testFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'artifacts') found.push(...testFiles(full));
    else if (/\.test\.(mjs|cjs|js)$/.test(entry.name)) found.push(path.relative(root, full));
  }
  return found.sort();
}

await run('rustfmt', 'cargo', ['fmt', '--check'], none);
await run('clippy', 'cargo', ['clippy', '--all-targets', '--', '-D', 'warnings'], none);
// Each wasm build compiles only its own exports (features sdk / widget / core): lint them as built.
for (const feature of ['sdk', 'widget', 'core']) {
  await run(`clippy (wasm, ${feature})`, 'cargo', ['clippy', '--lib', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--features', feature, '--', '-D', 'warnings'], none);
}
await run('rust unit tests', 'cargo', ['test', '--quiet'], cargoCounts);
// A bounded, repeatable fuzz run of the callback parser and verifier (libFuzzer), its grown
// corpus rechecked against real PHP; `npm run fuzz` explores longer with a random seed.
await run('fuzz (300k runs, seed 1)', 'bash', ['scripts/fuzz.sh'], none, { FUZZ_SEED: '1', FUZZ_RUNS: '300000' });
// The same for every other parser of untrusted input (proxy, exchanger and merchant answers,
// bid callbacks, Retry-After, the widget's sanitizer and amounts): about 30 s on top.
await run('fuzz parsers (500k runs, seed 1)', 'bash', ['scripts/fuzz.sh', 'parsers'], none, { FUZZ_SEED: '1', FUZZ_RUNS: '500000' });

if (!fs.existsSync(path.join(root, 'pkg', 'package.json'))) {
  failures.push('pkg/ is missing: run `npm run build` (npm test does)');
}
const files = testFiles(path.join(root, 'tests'));
await run('node suites', process.execPath, ['--test', '--test-reporter=spec', ...files], nodeCounts);

console.log('');
if (failures.length) console.log(`FAILED suites:\n  ${failures.join('\n  ')}`);
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
