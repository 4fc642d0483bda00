// Child process of load.test.mjs (run with --expose-gc): a real node:http server running
// toNodeListener(createExchangerProxy(...)) in front of the sandbox at process.argv[2], hit
// with rounds of 1,000 concurrent requests. Prints one JSON line of measurements: JS heap
// after full GCs, the wasm linear memory and the wasm externref table (every JS value Rust
// holds lives there, so a value kept per request would grow it).
//
// Two warm-up rounds fill the pools (sockets, wasm allocator, externref slots), three measured
// rounds follow; then two control rounds through a handler that keeps every Request, to show
// that the same measurements do see a leak of that size.
import http from 'node:http';

let instance;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, args) {
    const made = Reflect.construct(target, args);
    instance ??= made;
    return made;
  },
});
const { ExchangerClient, createExchangerProxy, toNodeListener } = await import('../../pkg/node.mjs');
WebAssembly.Instance = Instance;

const [sandboxUrl] = process.argv.slice(2);
const WARMUP = 2;
const MEASURED = 3;
const CONTROL = 2;
const CONCURRENT = 1000;

const client = new ExchangerClient({ baseUrl: sandboxUrl, login: 'demo', key: 'demo-key' });
const proxy = createExchangerProxy({ client, rateLimit: { perMinute: 100_000 } });
const kept = [];
let leak = false;
const handler = (request, info) => {
  if (leak) kept.push(request);
  return proxy(request, info);
};
const server = http.createServer(toNodeListener(handler));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/api/exchange`;

// A mix of what the widget sends: JSON and form bodies, two methods, a refusal.
function request(i) {
  switch (i % 4) {
    case 0: return fetch(`${base}/get_calc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ direction_id: 6, calc_amount: 5000 + i, cd: { cf12: 2 } }) });
    case 1: return fetch(`${base}/get_direction`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'direction_id=2' });
    case 2: return fetch(`${base}/get_directions/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    default: return fetch(`${base}/bid_info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":1}' });
  }
}
const expected = [200, 200, 200, 400];

async function round() {
  const results = await Promise.all(Array.from({ length: CONCURRENT }, async (_, i) => {
    const res = await request(i);
    const body = await res.json();
    const ok = res.status === expected[i % 4] && (res.status === 200 ? body.data !== undefined : body.error.kind === 'bad_request');
    return ok ? null : `#${i}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`;
  }));
  return results.filter(Boolean);
}

async function settle() {
  // Idle keep-alive sockets are the clients' to reuse, not the proxy's: close them first.
  server.closeIdleConnections();
  for (let i = 0; i < 6; i += 1) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    heap: process.memoryUsage().heapUsed,
    wasm: instance.exports.memory.buffer.byteLength,
    externrefs: instance.exports.__wbindgen_externrefs.length,
  };
}

const samples = [];
const control = [];
const failures = [];
for (let r = 0; r < WARMUP + MEASURED + CONTROL; r += 1) {
  leak = r >= WARMUP + MEASURED;
  failures.push(...await round());
  const sample = await settle();
  if (r >= WARMUP - 1 && !leak) samples.push(sample);
  if (r >= WARMUP + MEASURED - 1) control.push(sample);
}
server.close();
server.closeAllConnections();
console.log(JSON.stringify({
  samples, control, failures: failures.slice(0, 5), failed: failures.length,
  requests: (WARMUP + MEASURED + CONTROL) * CONCURRENT, kept: kept.length,
}));
