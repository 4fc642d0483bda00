// The exchange client's own overhead: the same `get_directions` call made through
// `ExchangerClient` and with plain `fetch` + `JSON.parse` (the code a user would otherwise
// write), against the sandbox exchanger on 127.0.0.1, in alternating blocks so both see the same
// machine; the overhead is the median of the blocks' pairwise ratios, which a load that drifts
// during the run moves less than a ratio of two medians.
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
    const sdk = () => client.getDirections();
    const [viaSdk, viaFetch] = await Promise.all([sdk(), plain()]);
    if (viaSdk.length !== viaFetch.length) throw new Error('the SDK and plain fetch disagree on get_directions');
    // Warm up both paths to steady state: with 50 calls each, every later block still ran
    // faster than the one before (plain fetch from 740 to 260 µs over the run).
    for (let i = 0; i < 1500; i++) { await sdk(); await plain(); }
    const sdkRuns = [];
    const fetchRuns = [];
    for (let r = 0; r < RUNS; r++) {
      fetchRuns.push(await perCall(plain));
      sdkRuns.push(await perCall(sdk));
    }
    const ratios = sdkRuns.map((ms, i) => ms / fetchRuns[i]);
    return {
      calls: CALLS,
      runs: RUNS,
      method: '`get_directions`',
      sdkMs: median(sdkRuns),
      fetchMs: median(fetchRuns),
      overheadPct: (median(ratios) - 1) * 100,
    };
  } finally {
    await sandbox.close();
  }
}
