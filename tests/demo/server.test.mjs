// `npm start`'s server (www-demo/server.mjs) with the built package: a real exchanger chosen by
// the environment, and the mistakes a newcomer makes starting it, each named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startDemo } from '../../www-demo/server.mjs';
import { startExchanger, DEMO_LOGIN, DEMO_KEY } from '../../www-demo/sandbox/exchanger.mjs';

test('EXCHANGER_URL, API_LOGIN and API_KEY put the proxy in front of that exchanger', async (t) => {
  const upstream = await startExchanger({});
  t.after(() => upstream.close());
  const demo = await startDemo({ port: 0, env: { EXCHANGER_URL: upstream.url, API_LOGIN: DEMO_LOGIN, API_KEY: DEMO_KEY, PARTNER_ID: '7' } });
  t.after(() => demo.close());
  assert.equal(demo.sandbox, null);
  assert.equal(demo.backend, `exchanger at ${upstream.url}`);
  const res = await fetch(new URL('exchange-api/get_direction_currencies', demo.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 200);
  assert.ok((await res.json()).data.give.length > 0);
});

test('a partial environment, a bad PARTNER_ID and a busy port are refused with what to do', async (t) => {
  await assert.rejects(startDemo({ port: 0, env: { EXCHANGER_URL: 'https://x.example', API_LOGIN: 'login' } }),
    { message: 'a real exchanger needs EXCHANGER_URL, API_LOGIN and API_KEY: API_KEY is not set (unset all three for the sandbox)' });
  await assert.rejects(startDemo({ port: 0, env: { API_KEY: 'k' } }), /EXCHANGER_URL and API_LOGIN are not set/);
  await assert.rejects(startDemo({ port: 0, env: { PARTNER_ID: 'abc' } }), (e) => e instanceof TypeError && /^partnerId /.test(e.message));
  const busy = http.createServer();
  await new Promise((resolve) => busy.listen(0, '127.0.0.1', resolve));
  t.after(() => busy.close());
  const { port } = busy.address();
  await assert.rejects(startDemo({ port, env: {} }), { message: `127.0.0.1:${port} is in use: stop what runs there or set PORT to another port` });
});
