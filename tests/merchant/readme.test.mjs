// The README's "Merchant gateway client (api2)" examples, run as one program against the
// sandbox gateway with the built package: what the README shows must work as shown.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { HERE, SHOP, gateway } from './helpers.mjs';

const README = readFileSync(join(HERE, '..', '..', 'README.md'), 'utf8');
const PKG = pathToFileURL(join(HERE, '..', '..', 'pkg', 'node.mjs')).href;

function sectionExamples() {
  const start = README.indexOf('\n## Merchant gateway client (api2)\n');
  assert.ok(start >= 0, 'the README has the section');
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end);
  return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

test('the README examples run as written against the sandbox', async () => {
  const blocks = sectionExamples();
  assert.ok(blocks.length >= 5, `found ${blocks.length} examples`);
  const gw = await gateway({ tickMs: 100 });
  const dir = mkdtempSync(join(tmpdir(), 'obmennik-readme-'));
  try {
    const program = blocks.join('\n').replaceAll("from 'obmennik'", `from '${PKG}'`);
    const file = join(dir, 'readme-examples.mjs');
    writeFileSync(file, program);
    const env = {
      ...process.env, GATEWAY_URL: gw.url, SHOP_ID: String(SHOP.shopID),
      GATEWAY_API_KEY: SHOP.apiKey, GATEWAY_SECRET_KEY: SHOP.secretKey,
    };
    const { stdout } = await new Promise((resolve, reject) => {
      execFile(process.execPath, [file], { env, encoding: 'utf8', timeout: 30_000 }, (err, out, errOut) => (
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve({ stdout: out })));
    });
    const lines = stdout.trim().split('\n');
    assert.match(lines[0], /^ask the payer to send 500\.52 to \d{16}$/);
    assert.equal(lines[1], 'Approved');
    assert.match(stdout, /field: 'number'/, 'the ValidationError example shows the field');
    assert.match(stdout, /^\d+(\.\d+)?$/m, 'balanceAll printed the RUB balance');
    assert.match(stdout, /id: \d+,\s+currID: 93,/, 'the built withdraw was accepted');
    // The payment and the payout made by the examples are on the gateway, once each.
    assert.deepEqual(gw.operations().map((o) => o.kind).sort(), ['payment', 'withdraw']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await gw.close();
  }
});
