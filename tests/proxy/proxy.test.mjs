// createExchangerProxy + toNodeListener on a real node:http server in front of the sandbox:
// what browsers may do, everything they may not, and the contract of BRIEF 3.4.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startExchanger } from '../../www-demo/sandbox/exchanger.mjs';
import { ExchangerClient, createExchangerProxy, toNodeListener } from '../../pkg/node.mjs';
import { KEYS, LOGIN, KEY, goodBid, countingClient, serve } from '../exchanger/helpers.mjs';

const PARTNER_ORIGIN = 'https://partner.example';
const CALLBACK = 'https://shop.example/exchanger/callback';

describe('proxy over node:http', () => {
  let ex;
  let counted;
  let site;
  before(async () => {
    ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 });
    counted = countingClient(ex);
    const handler = createExchangerProxy({
      client: counted.client, partnerId: 7, callbackUrl: CALLBACK, cors: { origins: [PARTNER_ORIGIN] },
    });
    site = await serve(toNodeListener(handler));
  });
  after(async () => {
    await site.close();
    await ex.close();
  });

  /** POSTs to the proxy; resolves with status, headers and parsed body. */
  async function call(method, body = {}, { headers = {}, raw, type = 'application/json', httpMethod = 'POST' } = {}) {
    const res = await fetch(`${site.url}/api/exchange/${method}`, {
      method: httpMethod,
      headers: httpMethod === 'POST' ? { 'content-type': type, ...headers } : headers,
      body: httpMethod === 'POST' ? (raw ?? JSON.stringify(body)) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  }

  const refused = (res, status, kind) => {
    assert.equal(res.status, status, res.text);
    assert.equal(res.json.error.kind, kind, res.text);
    assert.equal(res.json.error.code, 0);
    assert.equal(typeof res.json.error.message, 'string');
    assert.equal(typeof res.json.error.fields, 'object');
  };

  test('allowed methods answer {data} with the SDK\'s value, JSON or form, cacheless', async () => {
    const dirs = await call('get_directions');
    assert.equal(dirs.status, 200);
    assert.equal(dirs.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(dirs.headers.get('cache-control'), 'no-store');
    assert.deepEqual(dirs.json.data, await counted.client.getDirections());
    assert.ok((await call('get_direction_currencies')).json.data.give.length > 0);
    const form = await call('get_direction', null, { raw: 'direction_id=6', type: 'application/x-www-form-urlencoded' });
    assert.equal(form.json.data.dir_fields.find((f) => f.name === 'cf12').cd, true);
    const calc = await call('get_calc', { direction_id: 6, calc_amount: 100000, cd: { cf12: 2 } });
    assert.match(calc.json.data.com_get, /Arbitrum One/);
    const slash = await fetch(`${site.url}/deep/mount/get_calc/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"direction_id":9,"calc_amount":"0.1"}' });
    assert.equal((await slash.json()).data.sum_give, '0.1');
  });

  test('create_bid gets the host\'s partner_id and callback_url; bids are then used by hash', async () => {
    const res = await call('create_bid', goodBid({ partner_id: 666 }));
    assert.equal(res.status, 200, res.text);
    const bid = res.json.data;
    const stored = ex.bids().find((b) => b.id === Number(bid.id));
    assert.deepEqual([stored.refId, stored.callbackUrl], [7, CALLBACK]);
    assert.equal((await call('bid_info', { hash: bid.hash })).json.data.id, bid.id);
    assert.equal((await call('pay_bid', { hash: bid.hash })).json.data, 'payed');
    const other = (await call('create_bid', goodBid())).json.data;
    assert.equal((await call('cancel_bid', { hash: other.hash })).json.data, 'cancel');
  });

  test('a browser api_id makes its own retries safe, and must be unguessable', async () => {
    const apiId = crypto.randomUUID();
    const first = (await call('create_bid', goodBid({ api_id: apiId }))).json.data;
    const again = (await call('create_bid', goodBid({ api_id: apiId }))).json.data;
    assert.deepEqual([again.id, again.replayed, first.replayed], [first.id, true, false]);
    refused(await call('create_bid', goodBid({ api_id: 'order-1' })), 400, 'bad_request');
  });

  test('forged credential headers are refused', async () => {
    counted.calls.length = 0;
    for (const headers of [{ 'API-KEY': 'other-key-123' }, { 'API-LOGIN': 'other' }, { 'api-login': 'other', 'api-key': 'other-key-123' }]) {
      refused(await call('get_directions', {}, { headers }), 400, 'bad_request');
    }
    assert.deepEqual(counted.calls, []);
  });

  test('methods outside the allow list are refused', async () => {
    counted.calls.length = 0;
    for (const method of ['get_exchanges', 'add_partner_payout', 'get_partner_info', 'test', 'success_bid', 'no_such', '..%2Fget_calc', '']) {
      refused(await call(method), 403, 'method_not_allowed');
    }
    assert.deepEqual(counted.calls, []);
  });

  test('bids cannot be reached by id, and callback_url cannot be injected', async () => {
    const bid = (await call('create_bid', goodBid())).json.data;
    counted.calls.length = 0;
    for (const method of ['bid_info', 'cancel_bid', 'pay_bid']) {
      const res = await call(method, { id: bid.id });
      refused(res, 400, 'bad_request');
      assert.ok(res.json.error.fields.id);
      refused(await call(method, { id: bid.id, hash: bid.hash }), 400, 'bad_request');
      refused(await call(method, {}), 400, 'bad_request');
    }
    const injected = await call('create_bid', goodBid({ callback_url: 'http://169.254.169.254/latest/meta-data' }));
    refused(injected, 400, 'bad_request');
    assert.ok(injected.json.error.fields.callback_url);
    assert.deepEqual(counted.calls, []);
    assert.equal(ex.bids().find((b) => b.id === Number(bid.id)).status, 'new');
  });

  test('oversized bodies are refused, by Content-Length or while streaming', async () => {
    refused(await call('get_calc', null, { raw: JSON.stringify({ direction_id: 1, calc_amount: 1, pad: 'x'.repeat(20_000) }) }), 413, 'payload_too_large');
    const port = new URL(site.url).port;
    const streamed = await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/exchange/get_calc', method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(4096);
      req.write('{"pad":"');
      for (let i = 0; i < 8; i += 1) req.write(chunk);
      req.end('"}');
    });
    assert.equal(streamed.status, 413);
    assert.equal(streamed.json.error.kind, 'payload_too_large');
  });

  test('a form body of many distinct names is read in linear-ish time, not quadratic', async () => {
    // 1 MiB is the largest maxBodyBytes; 120,000 names took 15 s of one core.
    const big = await serve(toNodeListener(createExchangerProxy({ client: counted.client, maxBodyBytes: 1_048_576 })));
    try {
      const names = Array.from({ length: 120_000 }, (_, i) => `a${i}=`).join('&');
      const started = Date.now();
      const res = await fetch(`${big.url}/api/get_directions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: names });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
    } finally {
      await big.close();
    }
  });

  test('a body trickled in too slowly (slowloris) is answered 408 and the connection closed', async () => {
    const slow = await serve(toNodeListener(createExchangerProxy({ client: counted.client, bodyTimeoutMs: 300 })));
    try {
      counted.calls.length = 0;
      const started = Date.now();
      const answer = await new Promise((resolve, reject) => {
        const socket = net.connect(new URL(slow.url).port, '127.0.0.1', () => {
          socket.write('POST /api/exchange/get_calc HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{"direction_id":');
        });
        let text = '';
        socket.on('data', (d) => { text += d; });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
        setTimeout(() => { socket.destroy(); resolve(text); }, 5000);
      });
      assert.ok(Date.now() - started < 4000, 'answered, and closed, at the deadline');
      assert.match(answer, /^HTTP\/1\.1 408 /);
      assert.match(answer, /connection: close/i);
      const error = JSON.parse(answer.match(/\{.*\}/)[0]).error;
      assert.deepEqual([error.kind, error.message], ['request_timeout', 'The body did not arrive within 300 ms.']);
      assert.deepEqual(counted.calls, []);
    } finally {
      await slow.close();
    }
    assert.throws(() => createExchangerProxy({ client: counted.client, bodyTimeoutMs: 0 }), TypeError);
  });

  test('origins: same-origin passes, listed origins get CORS, others are refused', async () => {
    const own = await call('get_directions', {}, { headers: { origin: site.url } });
    assert.deepEqual([own.status, own.headers.get('access-control-allow-origin')], [200, null]);
    const partner = await call('get_directions', {}, { headers: { origin: PARTNER_ORIGIN } });
    assert.deepEqual([partner.status, partner.headers.get('access-control-allow-origin')], [200, PARTNER_ORIGIN]);
    assert.equal(partner.headers.get('vary'), 'Origin');
    assert.equal(partner.headers.get('access-control-expose-headers'), 'retry-after', "a partner's page can read a 429's wait");
    for (const origin of ['https://evil.example', 'null', 'https://partner.example.evil.test']) {
      const res = await call('get_directions', {}, { headers: { origin } });
      refused(res, 403, 'origin_not_allowed');
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    }
    const preflight = await fetch(`${site.url}/api/exchange/create_bid`, { method: 'OPTIONS', headers: { origin: PARTNER_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, api-key' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), PARTNER_ORIGIN);
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'content-type', 'api-key is never allowed');
    const evilPreflight = await fetch(`${site.url}/api/exchange/create_bid`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(evilPreflight.status, 403);
    assert.equal(evilPreflight.headers.get('access-control-allow-origin'), null);
  });

  test('wrong HTTP methods, bodies and types', async () => {
    const get = await call('get_directions', null, { httpMethod: 'GET' });
    refused(get, 405, 'http_method');
    assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
    refused(await call('get_calc', null, { raw: '{"direction_id":' }), 400, 'bad_request');
    refused(await call('get_calc', null, { raw: '[1,2]' }), 400, 'bad_request');
    refused(await call('get_calc', null, { raw: 'direction_id=1', type: 'text/plain' }), 400, 'bad_request');
    refused(await call('get_calc', { direction_id: { $gt: 1 }, calc_amount: 1 }), 400, 'bad_request');
    const checked = await call('get_calc', { direction_id: 'abc', calc_amount: '1,5' });
    refused(checked, 400, 'bad_request');
    assert.deepEqual(Object.keys(checked.json.error.fields).sort(), ['calc_amount', 'direction_id']);
    // Parameters a method does not take are dropped, not forwarded.
    assert.equal((await call('get_calc', { direction_id: 9, calc_amount: '0.1', api_key: KEY, evil: 1 })).status, 200);
  });

  test('exchanger errors keep kind and code with fitting statuses', async () => {
    const invalid = await call('create_bid', { direction_id: 2, calc_amount: 100, account1: '123' });
    assert.equal(invalid.status, 422);
    assert.deepEqual([invalid.json.error.kind, invalid.json.error.code], ['validation', 3]);
    assert.equal(invalid.json.error.fields.account1, 'Неверный номер карты');
    const missing = await call('bid_info', { hash: 'ffffffffffffffffffffffffffffffff' });
    assert.deepEqual([missing.status, missing.json.error.kind, missing.json.error.code], [404, 'not_found', 1]);
    assert.equal((await call('get_direction', { direction_id: 999 })).status, 404);
    const linkBid = (await call('create_bid', { direction_id: 8, calc_amount: 100, account1: 'P1234567', account2: goodBid().account2, cf6: 'a@b.co' })).json.data;
    const disabled = await call('pay_bid', { hash: linkBid.hash });
    assert.deepEqual([disabled.status, disabled.json.error.kind, disabled.json.error.code], [403, 'action_disabled', 2]);
    ex.setMaintenance(true);
    try {
      const down = await call('get_directions');
      assert.deepEqual([down.status, down.json.error.kind, down.json.error.code], [503, 'maintenance', 1]);
      assert.equal(down.headers.get('retry-after'), '60');
    } finally {
      ex.setMaintenance(false);
    }
  });
});

describe('proxy failures upstream say nothing about keys', () => {
  let ex;
  before(async () => { ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 }); });
  after(() => ex.close());

  async function through(client, method = 'get_directions', body = '{}') {
    const handler = createExchangerProxy({ client });
    const res = await handler(new Request(`https://shop.example/x/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    const text = await res.text();
    for (const secret of [LOGIN, KEY, 'other-key', 'API-KEY', 'API-LOGIN', 'hint']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    return { status: res.status, error: JSON.parse(text).error };
  }

  test('misconfiguration upstream is a generic 502 that keeps kind and code', async () => {
    const cases = [
      [new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: 'wrong-key-0000' }), 'api_disabled', 0],
      [new ExchangerClient({ baseUrl: ex.url, login: 'blocked', key: 'blocked-key-123' }), 'ip_blocked', 2],
      [new ExchangerClient({ baseUrl: ex.url, login: 'limited', key: 'limited-key-123' }), 'method_not_supported', 3, 'get_calc', '{"direction_id":1,"calc_amount":1}'],
    ];
    for (const [client, kind, code, method, body] of cases) {
      const { status, error } = await through(client, method, body);
      assert.deepEqual([status, error.kind, error.code, error.message, error.fields], [502, kind, code, 'The exchange service is unavailable.', {}]);
    }
  });

  test('transport failures: timeout 504, unreachable 502', async () => {
    ex.failNext({ method: 'get_directions', mode: 'slow', delayMs: 2000 });
    const slow = await through(new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: KEY, timeoutMs: 100, maxRetries: 0 }));
    assert.deepEqual([slow.status, slow.error.kind], [504, 'upstream_timeout']);
    const dead = await serve(() => {});
    const url = `${dead.url}/api/userapi/v1/`;
    await dead.close();
    const down = await through(new ExchangerClient({ baseUrl: url, login: LOGIN, key: KEY, maxRetries: 0 }));
    assert.deepEqual([down.status, down.error.kind], [502, 'upstream_unavailable']);
  });
});

describe('the Fetch handler without Node', () => {
  let ex;
  let client;
  before(async () => {
    ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 });
    client = new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: KEY });
  });
  after(() => ex.close());

  const post = (handler, info, headers = {}) => handler(
    new Request('https://shop.example/api/get_directions', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }),
    info,
  );

  test('rate limit per client IP, with Retry-After; forwarded addresses only when trusted', async () => {
    const handler = createExchangerProxy({ client, rateLimit: { perMinute: 2 } });
    assert.equal((await post(handler, { clientIp: '198.51.100.1' })).status, 200);
    assert.equal((await post(handler, { clientIp: '198.51.100.1' })).status, 200);
    const limited = await post(handler, { clientIp: '198.51.100.1' });
    assert.equal(limited.status, 429);
    assert.equal((await limited.json()).error.kind, 'rate_limited');
    assert.equal(limited.headers.get('retry-after'), '30');
    assert.equal((await post(handler, { clientIp: '198.51.100.2' })).status, 200);
    // Without clientIp and trustProxy, a forged X-Forwarded-For does not buy a new bucket.
    const shared = createExchangerProxy({ client, rateLimit: { perMinute: 1 } });
    assert.equal((await post(shared, undefined, { 'x-forwarded-for': '203.0.113.1' })).status, 200);
    assert.equal((await post(shared, undefined, { 'x-forwarded-for': '203.0.113.2' })).status, 429);
    const trusted = createExchangerProxy({ client, rateLimit: { perMinute: 1 }, trustProxy: true });
    assert.equal((await post(trusted, undefined, { 'x-forwarded-for': '203.0.113.1, 10.0.0.1' })).status, 200);
    assert.equal((await post(trusted, undefined, { 'x-forwarded-for': '203.0.113.1' })).status, 200);
    assert.equal((await post(trusted, undefined, { 'x-forwarded-for': '10.0.0.1' })).status, 429);
  });

  test('trustProxy: what the client wrote before the proxy\'s entry buys no new bucket', async () => {
    // Behind nginx ($proxy_add_x_forwarded_for) the client's own header comes first and the
    // address nginx saw last; CF-Connecting-IP passes through from the client untouched.
    const trusted = createExchangerProxy({ client, rateLimit: { perMinute: 1 }, trustProxy: true });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await post(trusted, undefined, { 'x-forwarded-for': `192.0.2.${i}, 198.51.100.7`, 'cf-connecting-ip': `192.0.2.${i}` })).status);
    }
    assert.deepEqual(statuses, [200, 429, 429]);
  });

  test('one IPv6 subscriber (a /64) is one client, whichever address it takes', async () => {
    const handler = createExchangerProxy({ client, rateLimit: { perMinute: 1 } });
    assert.equal((await post(handler, { clientIp: '2001:db8:1:2::1' })).status, 200);
    assert.equal((await post(handler, { clientIp: '2001:db8:1:2:ffff::2' })).status, 429);
    assert.equal((await post(handler, { clientIp: '2001:db8:1:3::1' })).status, 200);
  });

  test('a custom allow list, and options checked at creation', async () => {
    const handler = createExchangerProxy({ client, allow: ['get_direction_currencies'] });
    const res = await handler(new Request('https://shop.example/get_direction_currencies', { method: 'POST' }));
    assert.equal(res.status, 200);
    assert.ok(Array.isArray((await res.json()).data.give));
    assert.equal((await post(handler)).status, 403);
    // allow only narrows the default: what belongs to the API account stays on the server.
    for (const [method, why] of [['get_exchanges', /every customer's bids/], ['add_partner_payout', /withdraws/], ['success_bid', /paid out/], ['test', /account's own details/]]) {
      assert.throws(() => createExchangerProxy({ client, allow: ['get_calc', method] }), (e) => e instanceof TypeError && e.message.includes(`\`${method}\` is never opened to browsers`) && why.test(e.message) && /ExchangerClient/.test(e.message), method);
    }
    assert.throws(() => createExchangerProxy({ client, allow: ['drop_table'] }), TypeError);
    assert.throws(() => createExchangerProxy({ client: {} }), TypeError);
    assert.throws(() => createExchangerProxy({ client, callbackUrl: 'ftp://x' }), TypeError);
    assert.throws(() => createExchangerProxy({ client, partnerId: 'abc' }), TypeError);
    assert.throws(() => createExchangerProxy({ client, maxBodyBytes: 0 }), TypeError);
    assert.throws(() => createExchangerProxy({ client, cors: { origins: 'https://x' } }), TypeError);
    // Next.js hands route handlers its own address as the URL; the Host header is the page's.
    const nextLike = await createExchangerProxy({ client })(new Request('http://localhost:3000/api/get_calc', { method: 'POST', headers: { host: 'shop.example', origin: 'https://shop.example', 'content-type': 'application/json' }, body: '{"direction_id":1,"calc_amount":"1"}' }));
    assert.equal(nextLike.status, 200, await nextLike.clone().text());
    // An entry no browser's Origin header can equal is a mistake to say at once, not a 403 later.
    assert.throws(() => createExchangerProxy({ client, cors: { origins: ['https://Partner.example:443'] } }), /`https:\/\/Partner.example:443` would never match: browsers send `https:\/\/partner.example`/);
    assert.throws(() => createExchangerProxy({ client, cors: { origins: ['https://partner.example/shop'] } }), /cors.origins: `https:\/\/partner.example\/shop` is not an origin/);
    const slash = createExchangerProxy({ client, cors: { origins: ['https://partner.example/'] } });
    const cross = await slash(new Request('https://shop.example/api/get_calc', { method: 'POST', headers: { origin: 'https://partner.example', 'content-type': 'application/json' }, body: '{"direction_id":1,"calc_amount":"1"}' }));
    assert.equal(cross.headers.get('access-control-allow-origin'), 'https://partner.example');
    assert.throws(() => createExchangerProxy(), TypeError);
    const broken = await createExchangerProxy({ client })('not a request');
    assert.equal(broken.status, 500);
  });

  test('toNodeListener takes a body Express already parsed', async () => {
    const handler = createExchangerProxy({ client });
    const listener = toNodeListener(handler);
    // What express.json() leaves: the stream consumed, the object on req.body.
    const site = await serve((req, res) => {
      let text = '';
      req.on('data', (c) => { text += c; });
      req.on('end', () => {
        req.body = JSON.parse(text);
        listener(req, res);
      });
    });
    try {
      const res = await fetch(`${site.url}/api/get_calc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"direction_id":9,"calc_amount":"0.1"}' });
      assert.equal((await res.json()).data.sum_give, '0.1');
    } finally {
      await site.close();
    }
    assert.throws(() => toNodeListener('nope'), TypeError);
  });

  test('toNodeListener: a body no parser read is streamed, a consumed one never awaited', async () => {
    const listener = toNodeListener(createExchangerProxy({ client, bodyTimeoutMs: 2000 }));
    // body-parser 1.x (Express 4) sets req.body = {} before it even looks at the type, and
    // express.json() leaves a form body unread: the form must still arrive.
    const parserSkipped = await serve((req, res) => { req.body = {}; setTimeout(() => listener(req, res), 50); });
    // A middleware that read the stream and kept nothing: no body, and no wait for one.
    const drained = await serve((req, res) => { req.resume(); req.on('end', () => listener(req, res)); });
    try {
      const form = await fetch(`${parserSkipped.url}/api/get_direction`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'direction_id=6' });
      assert.equal(form.status, 200);
      assert.equal((await form.json()).data.id, '6');
      const started = Date.now();
      const none = await fetch(`${drained.url}/api/get_directions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(none.status, 200);
      assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
    } finally {
      await parserSkipped.close();
      await drained.close();
    }
  });

  test('toNodeListener: a Host that makes no URL is not a 500', async () => {
    const site = await serve(toNodeListener(createExchangerProxy({ client })));
    try {
      const answer = await new Promise((resolve, reject) => {
        const socket = net.connect(new URL(site.url).port, '127.0.0.1', () => {
          socket.write('POST /api/get_directions HTTP/1.1\r\nHost: a:b:c\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
        });
        let text = '';
        socket.on('data', (d) => { text += d; });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(answer, /^HTTP\/1\.1 200 /, answer.slice(0, 300));
    } finally {
      await site.close();
    }
  });
});
