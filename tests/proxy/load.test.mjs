// 1,000 concurrent requests at a time through the proxy (toNodeListener on a real node:http
// server) to the sandbox: every one answered correctly, and no memory kept once they end.
// The work runs in a child process with --expose-gc (see load-child.mjs) so the heap can be
// measured after full collections; the sandbox runs here, so its memory is not counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startExchanger } from '../../www-demo/sandbox/exchanger.mjs';

const CHILD = fileURLToPath(new URL('./load-child.mjs', import.meta.url));
const MB = 1024 * 1024;
/** Heap growth over the three measured rounds (3,000 requests) that counts as a leak. */
const HEAP_SLACK = 2 * MB;
/** A JS value kept by Rust per request would add 3,000 slots over the measured rounds. */
const EXTERNREF_SLACK = 1500;

test('1,000 concurrent proxy requests, five times: no error, no memory growth once they end', { timeout: 240_000 }, async () => {
  const ex = await startExchanger({ tickMs: 3_600_000 });
  try {
    const out = await new Promise((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', CHILD, ex.url], { maxBuffer: 16 * MB, timeout: 220_000 }, (err, stdout, stderr) => (
        err ? reject(new Error(`load child failed: ${err.message}\n${stderr}`)) : resolve(stdout)
      ));
    });
    const result = JSON.parse(out.trim().split('\n').pop());
    assert.deepEqual(result.failures, [], 'every request answered as expected');
    assert.equal(result.failed, 0);
    assert.equal(result.requests, 7000);

    const { samples, control } = result;
    const first = samples[0];
    const last = samples.at(-1);
    const growth = last.heap - first.heap;
    const report = samples.map((s) => `${(s.heap / MB).toFixed(1)} MB heap, ${s.wasm / 1024} KiB wasm, ${s.externrefs} refs`).join(' → ');
    assert.ok(growth < HEAP_SLACK, `JS heap grew ${(growth / MB).toFixed(1)} MB over 3,000 requests: ${report}`);
    assert.ok(last.wasm - first.wasm <= 512 * 1024, `wasm memory grew: ${report}`);
    assert.ok(last.externrefs - first.externrefs < EXTERNREF_SLACK, `JS values held by Rust grew: ${report}`);

    // The control: the same measurement over 2,000 requests whose Requests are kept.
    assert.equal(result.kept, 2000);
    const leaked = control.at(-1).heap - control[0].heap;
    assert.ok(leaked > 2 * HEAP_SLACK, `the control leak (${(leaked / MB).toFixed(1)} MB) must be plainly visible to this measurement`);
  } finally {
    await ex.close();
  }
});
