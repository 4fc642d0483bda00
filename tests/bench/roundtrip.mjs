// The exchange client's own overhead: the same `get_directions` call made through
// `ExchangerClient`, with plain `fetch` + `JSON.parse` (the code a user would otherwise write)
// and with plain `node:http` + `JSON.parse` (the transport the SDK uses in Node, so the SDK's
// own cost stays visible), against the sandbox exchanger on 127.0.0.1, in alternating blocks
// so all see the same machine; each overhead is the median of the blocks' pairwise ratios,
// which a load that drifts during the run moves less than a ratio of two medians.
import http from 'node:http';
import { ExchangerClient } from '../../pkg/node.mjs';
import { startExchanger, DEMO_LOGIN, DEMO_KEY } from '../../www-demo/sandbox/exchanger.mjs';

const CALLS = 100;
const RUNS = 15;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Milliseconds per call of `fn` over `CALLS` sequential calls. */
async function perCall(fn) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fn();
  return Number(process.hrtime.bigint() - t) / 1e6 / CALLS;
}

export async function benchRoundTrip() {
  // tickMs 0: bids advance only on calls, so nothing runs in the background while measuring.
  const sandbox = await startExchanger({ tickMs: 0 });
  try {
    const client = new ExchangerClient({ baseUrl: sandbox.url, login: DEMO_LOGIN, key: DEMO_KEY });
    const plain = async () => {
      const res = await fetch(`${sandbox.url}get_directions/`, {
        method: 'POST',
        headers: { 'API-LOGIN': DEMO_LOGIN, 'API-KEY': DEMO_KEY, 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
      });
      const envelope = JSON.parse(await res.text());
      if (String(envelope.error) !== '0') throw new Error(envelope.error_text);
      return envelope.data;
    };
    // With a timeout, as the SDK has (30 s): without one a stalled server hangs the caller.
    const plainHttp = () => new Promise((resolve, reject) => {
      const req = http.request(`${sandbox.url}get_directions/`, {
        method: 'POST',
        headers: { 'API-LOGIN': DEMO_LOGIN, 'API-KEY': DEMO_KEY, 'content-type': 'application/x-www-form-urlencoded', 'content-length': 0 },
      }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          try {
            const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (String(envelope.error) !== '0') throw new Error(envelope.error_text);
            resolve(envelope.data);
          } catch (error) {
            reject(error);
          }
        });
      });
      const timer = setTimeout(() => req.destroy(new Error('timed out')), 30_000);
      req.on('error', (error) => { clearTimeout(timer); reject(error); });
      req.end();
    });
    const sdk = () => client.getDirections();
    const [viaSdk, viaFetch, viaHttp] = await Promise.all([sdk(), plain(), plainHttp()]);
    if (viaSdk.length !== viaFetch.length || viaHttp.length !== viaFetch.length) throw new Error('the SDK and the plain calls disagree on get_directions');
    // Warm up every path to steady state: with 50 calls each, every later block still ran
    // faster than the one before (plain fetch from 740 to 260 µs over the run).
    for (let i = 0; i < 1500; i++) { await sdk(); await plain(); await plainHttp(); }
    const sdkRuns = [];
    const fetchRuns = [];
    const httpRuns = [];
    for (let r = 0; r < RUNS; r++) {
      fetchRuns.push(await perCall(plain));
      httpRuns.push(await perCall(plainHttp));
      sdkRuns.push(await perCall(sdk));
    }
    const overhead = (base) => (median(sdkRuns.map((ms, i) => ms / base[i])) - 1) * 100;
    return {
      calls: CALLS,
      runs: RUNS,
      method: '`get_directions`',
      sdkMs: median(sdkRuns),
      fetchMs: median(fetchRuns),
      httpMs: median(httpRuns),
      overheadPct: overhead(fetchRuns),
      overHttpPct: overhead(httpRuns),
    };
  } finally {
    await sandbox.close();
  }
}
