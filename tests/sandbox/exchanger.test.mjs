// Tests of the exchanger user API v1 sandbox over real HTTP on 127.0.0.1 (node --test).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startExchanger } from '../../www-demo/sandbox/exchanger.mjs';

const SANDBOX = fileURLToPath(new URL('../../www-demo/sandbox/exchanger.mjs', import.meta.url));

const KEYS = [
  { login: 'demo', key: 'demo-key', methods: 'all', ips: 'any', userId: 1, partnerId: 7 },
  { login: 'other', key: 'other-key', userId: 2 },
  { login: 'blocked', key: 'blocked-key', ips: ['10.9.9.9'] },
  { login: 'limited', key: 'limited-key', methods: ['test', 'get_directions'] },
  { login: 'system', key: 'system-key', userId: 0 },
  { login: 'nopp', key: 'nopp-key', partnerId: null },
];

// Valid account values for the sandbox's formats.
const CARD = '2202 2000 1111 2222';
const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const USDT = 'TJ5usJLLwjwn7Pw3TPbdzreG7dvgKzfQ5y';
const ETH = '0x52908400098527886E0F7030069857D2E4169EE7';

/** One API call; resolves with the HTTP status, raw text and parsed JSON (or undefined). */
async function call(ex, method, params = {}, opts = {}) {
  const { login = 'demo', key = 'demo-key', lang, slash = true, httpMethod = 'POST', body, contentType } = opts;
  const headers = { 'API-LOGIN': login, 'API-KEY': key };
  if (lang) headers['API-LANG'] = lang;
  let payload;
  if (httpMethod === 'POST') {
    payload = body ?? new URLSearchParams(params).toString();
    headers['Content-Type'] = contentType ?? 'application/x-www-form-urlencoded';
  }
  const res = await fetch(`${ex.url}${method}${slash ? '/' : ''}`, { method: httpMethod, headers, body: payload });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

const data = async (...args) => (await call(...args)).json;

/** A bid creation that passes validation on direction 2 (Sberbank RUB → BTC). */
const goodBid = (extra = {}) => ({
  direction_id: 2, calc_amount: 10000, calc_action: 1, account1: CARD, cfgive8: 'IVAN IVANOV',
  account2: BTC, cf1: 'Ivan', cf6: 'ivan@example.com', ...extra,
});

/** A local receiver for status callbacks. */
async function receiver(status = 200) {
  const hits = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      hits.push({ method: req.method, headers: req.headers, body });
      res.writeHead(status);
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/callback?token=abc`,
    hits,
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

describe('exchanger sandbox', () => {
  let ex;
  before(async () => { ex = await startExchanger({ keys: KEYS, tickMs: 0, hostile: true }); });
  after(() => ex.close());

  test('exposes its URLs', () => {
    assert.match(ex.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/userapi\/v1\/$/);
    assert.equal(ex.url, `${ex.origin}/api/userapi/v1/`);
  });

  test('every method answers with the real envelope (integer or string `error`)', async () => {
    const created = await data(ex, 'create_bid', goodBid());
    const id = created.data.id;
    const cases = [
      ['test', {}, 0],
      ['get_direction_currencies', {}, 0],
      ['get_directions', {}, 0],
      ['get_direction', { direction_id: 1 }, '0'],
      ['get_calc', { direction_id: 1, calc_amount: 0.01, calc_action: 1 }, '0'],
      ['get_exchanges', {}, '0'],
      ['bid_info', { id }, '0'],
      ['pay_bid', { id }, '0'],
      ['success_bid', { id }, '0'],
      ['cancel_bid', { id }, '1'], // a completed bid can no longer be cancelled
      ['get_partner_info', {}, '0'],
      ['get_partner_links', {}, '0'],
      ['get_partner_exchanges', {}, '0'],
      ['get_partner_payouts', {}, '0'],
      ['add_partner_payout', { method_id: 999, account: 'x' }, 1],
    ];
    assert.equal(created.error, '0');
    assert.deepEqual(Object.keys(created), ['error', 'error_text', 'error_fields', 'data']);
    for (const [method, params, error] of cases) {
      const res = await call(ex, method, params);
      assert.equal(res.status, 200, method);
      assert.equal(res.json.error, error, method);
      assert.equal(typeof res.json.error_text, 'string', method);
      assert.ok('data' in res.json, method);
      if (method === 'bid_info') assert.deepEqual(res.json.error_fields, [], method);
    }
  });

  test('answers are PHP json_encode output served as text/html', async () => {
    const res = await call(ex, 'get_directions');
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.text, /"currency_give_logo":"http:\\\/\\\/127\.0\.0\.1:\d+\\\/logos\\\/btc\.svg"/);
    assert.match(res.text, /\\u0421\\u0431\\u0435\\u0440/); // "Сбер" escaped
  });

  test('with or without trailing slash; GET runs the method without parameters', async () => {
    assert.equal((await data(ex, 'test', {}, { slash: false })).error, 0);
    assert.equal((await data(ex, 'test', { partner_id: 5 })).data.partner_id, 5);
    const get = await call(ex, 'test', {}, { httpMethod: 'GET' });
    assert.equal(get.json.error, 0);
    const getCreate = await data(ex, 'create_bid', {}, { httpMethod: 'GET' });
    assert.equal(getCreate.error, '3');
  });

  test('a JSON body is not understood: parameters are simply missing', async () => {
    const body = JSON.stringify(goodBid());
    const res = await data(ex, 'create_bid', {}, { body, contentType: 'application/json' });
    assert.equal(res.error, '3');
    assert.equal(res.error_text, 'Ошибка! Направление обмена не существует');
    const calc = await data(ex, 'get_calc', {}, { body: JSON.stringify({ direction_id: 1 }), contentType: 'application/json' });
    assert.deepEqual(calc, { error: '1', error_text: 'direction not found', data: [] });
  });

  test('the form Content-Type is matched as PHP does: lowercased, cut at ; , or space', async () => {
    const dir = (type) => data(ex, 'get_direction', {}, { body: 'direction_id=9', contentType: type });
    assert.equal((await dir('Application/X-WWW-Form-Urlencoded;charset=UTF-8')).data.id, '9');
    assert.equal((await dir('application/x-www-form-urlencoded , text/plain')).data.id, '9');
    // Not the form type: $_POST stays empty and get_direction shows the first direction.
    assert.equal((await dir('application/x-www-form-urlencodedx')).data.id, '1');
  });

  test('multipart/form-data bodies are read like $_POST', async () => {
    const form = new FormData();
    form.set('direction_id', '9');
    const res = await fetch(`${ex.url}get_direction`, { method: 'POST', headers: { 'API-LOGIN': 'demo', 'API-KEY': 'demo-key' }, body: form });
    const json = JSON.parse(await res.text());
    assert.equal(json.data.id, '9');
  });

  test('wrong login or key: HTTP 200 with an empty body', async () => {
    for (const opts of [{ key: 'nope' }, { login: 'nobody' }, { key: '' }]) {
      const res = await call(ex, 'test', {}, opts);
      assert.equal(res.status, 200);
      assert.equal(res.text, '');
    }
    const bare = await fetch(`${ex.url}test`, { method: 'POST' });
    assert.equal(bare.status, 200);
    assert.equal(await bare.text(), '');
  });

  test('a key bound to other IPs is refused with error 2 and no data key', async () => {
    const res = await call(ex, 'test', {}, { login: 'blocked', key: 'blocked-key' });
    assert.equal(res.text, '{"error":2,"error_text":"IP blocked"}');
  });

  test('methods not enabled for the key (or unknown) answer error 3', async () => {
    assert.equal((await data(ex, 'get_directions', {}, { login: 'limited', key: 'limited-key' })).error, 0);
    const res = await call(ex, 'create_bid', goodBid(), { login: 'limited', key: 'limited-key' });
    assert.equal(res.text, '{"error":3,"error_text":"Method not supported"}');
    assert.deepEqual(await data(ex, 'no_such_method'), { error: 3, error_text: 'Method not supported' });
  });

  test('maintenance: listing methods error 1, bid methods error 2, others unaffected', async () => {
    ex.setMaintenance(true);
    try {
      assert.deepEqual(await data(ex, 'get_directions'), { error: 1, error_text: 'maintenance', data: [] });
      assert.deepEqual(await data(ex, 'get_direction_currencies'), { error: 1, error_text: 'maintenance', data: { give: [], get: [] } });
      assert.deepEqual(await data(ex, 'get_direction', { direction_id: 1 }), { error: '1', error_text: 'maintenance', data: [] });
      assert.equal((await data(ex, 'get_calc', { direction_id: 1 })).error, '1');
      assert.deepEqual(await data(ex, 'create_bid', goodBid()), { error: '2', error_text: 'maintenance', error_fields: [], data: [] });
      for (const m of ['bid_info', 'pay_bid', 'cancel_bid', 'success_bid']) {
        assert.equal((await data(ex, m, { id: 1 })).error, '2', m);
      }
      assert.equal((await data(ex, 'get_exchanges')).error, '0');
      assert.equal((await data(ex, 'test')).error, 0);
    } finally {
      ex.setMaintenance(false);
    }
    const viaHttp = await fetch(`${ex.origin}/__sandbox/maintenance`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"on":true}' });
    assert.deepEqual(await viaHttp.json(), { ok: true, maintenance: true });
    assert.equal((await data(ex, 'get_directions')).error_text, 'maintenance');
    await fetch(`${ex.origin}/__sandbox/maintenance`, { method: 'POST', body: new URLSearchParams({ on: '0' }) });
    assert.equal((await data(ex, 'get_directions')).error, 0);
  });

  test('directions, currencies and filters', async () => {
    const dirs = (await data(ex, 'get_directions')).data;
    assert.equal(dirs.length, 13); // 12 + the hostile one
    assert.deepEqual(Object.keys(dirs[0]), ['direction_id', 'currency_give_id', 'currency_give_title', 'currency_give_logo',
      'currency_get_id', 'currency_get_title', 'currency_get_logo']);
    const fromTinkoff = (await data(ex, 'get_directions', { currency_id_give: 6 })).data;
    assert.deepEqual(fromTinkoff.map((d) => d.direction_id), ['4', '6']);
    const cur = (await data(ex, 'get_direction_currencies', { currency_id_get: 3 })).data;
    assert.deepEqual(cur.get.map((c) => c.id), ['3']);
    assert.ok(cur.give.length >= 4);
    assert.equal(cur.give.find((c) => c.id === '1').title, 'Bitcoin BTC');
  });

  test('get_direction: full object, field-list shapes, unknown id', async () => {
    const d = (await data(ex, 'get_direction', { direction_id: 6 })).data;
    assert.deepEqual(Object.keys(d), ['id', 'url', 'currency_code_give', 'currency_code_get', 'reserve', 'course_give',
      'course_get', 'sum_give', 'sum_give_com', 'sum_get', 'sum_get_com', 'com_give', 'com_get', 'min_give', 'max_give',
      'min_get', 'max_get', 'give_fields', 'get_fields', 'dir_fields', 'info']);
    assert.equal(d.min_get, 'no');
    assert.equal(d.give_fields.account1.req, 1);
    assert.equal(d.give_fields.cfgive8.req, '1');
    assert.equal(d.dir_fields.cf11.req, '0');
    assert.equal(d.dir_fields.cf12.cd, '1');
    assert.deepEqual(d.dir_fields.cf12.options, ['Не выбрано', 'Ethereum (ERC20)', 'Arbitrum One', 'Optimism']);
    assert.deepEqual(Object.keys(d.info), ['timeline_text', 'frozen_text', 'before_button_text']);
    // Crypto give: no account to pay from, so an empty PHP array; a plugin-style list elsewhere.
    const ltc = (await data(ex, 'get_direction', { direction_id: 7 })).data;
    assert.deepEqual(ltc.give_fields, []);
    assert.ok(Array.isArray(ltc.dir_fields) && ltc.dir_fields[0].name === 'cf6');
    // An option gap turns options into an object.
    const uah = (await data(ex, 'get_direction', { currency_id_give: 7, currency_id_get: 3 })).data;
    assert.equal(uah.id, '11');
    assert.deepEqual(Object.keys(uah.give_fields.cfgive16.options), ['0', '1', '3', '4']);
    const frozen = (await data(ex, 'get_direction', { direction_id: 12 })).data;
    assert.match(frozen.info.frozen_text, /заморожено/);
    assert.deepEqual(await data(ex, 'get_direction', { direction_id: 999 }), { error: '0', error_text: '', data: [] });
  });

  test('get_calc: actions 1..4, clamping with changed=1, cd network fee', async () => {
    const give = (await data(ex, 'get_calc', { direction_id: 9, calc_amount: 0.1, calc_action: 1 })).data;
    assert.equal(give.sum_give, '0.1');
    assert.equal(give.changed, 0);
    const get = (await data(ex, 'get_calc', { direction_id: 9, calc_amount: give.sum_get, calc_action: 2 })).data;
    assert.equal(get.sum_give, '0.1');
    const getCom = (await data(ex, 'get_calc', { direction_id: 9, calc_amount: give.sum_get_com, calc_action: 4 })).data;
    assert.equal(getCom.sum_give, '0.1');
    const giveCom = (await data(ex, 'get_calc', { direction_id: 11, calc_amount: 5075, calc_action: 3 })).data;
    assert.equal(giveCom.sum_give, '5000');
    assert.equal(giveCom.sum_give_com, '5075');

    const low = (await data(ex, 'get_calc', { direction_id: 9, calc_amount: 0.00001, calc_action: 1 })).data;
    assert.deepEqual([low.sum_give, low.changed], [low.min_give, 1]);
    const high = (await data(ex, 'get_calc', { direction_id: 2, calc_amount: 1e9, calc_action: 1 })).data;
    assert.deepEqual([high.sum_give, high.changed], [high.max_give, 1]);
    // Direction 9 runs into the USDT reserve (max_get) before its own max_give.
    const reserve = (await data(ex, 'get_calc', { direction_id: 9, calc_amount: 5, calc_action: 1 })).data;
    assert.deepEqual([reserve.sum_get, reserve.changed], [reserve.max_get, 1]);

    const base = { direction_id: 6, calc_amount: 100000, calc_action: 1 };
    const erc = (await data(ex, 'get_calc', { ...base, cd: 'cf12=1' })).data;
    const arb = (await data(ex, 'get_calc', { ...base, cd: encodeURIComponent('cf12=2') })).data;
    assert.equal(erc.sum_get, arb.sum_get);
    assert.ok(Number(arb.sum_get_com) > Number(erc.sum_get_com));
    assert.match(arb.com_get, /Arbitrum One\): 0\.0003 ETH/);
  });

  test('create_bid validation: HTML error_fields, localized texts, direction checks', async () => {
    const bad = await data(ex, 'create_bid', { direction_id: 2, calc_amount: 100, account1: '123', account2: 'not-a-wallet', cf6: 'nope' });
    assert.equal(bad.error, '3');
    assert.equal(bad.error_text, 'Ошибка!');
    assert.deepEqual(bad.data, []);
    assert.equal(bad.error_fields.account2, '<span class="err">Неверный <b>адрес кошелька</b></span>');
    assert.equal(bad.error_fields.account1, '<span class="err">Неверный <b>номер карты</b></span>');
    assert.equal(bad.error_fields.sum1, '<span class="js_amount" data-id="sum1" data-val="5000">мин.: 5000 RUB</span>');
    assert.equal(bad.error_fields.cf6, 'поле заполнено с ошибками');
    assert.equal(bad.error_fields.cfgive8, 'поле заполнено с ошибками');
    assert.ok(!('cf11' in bad.error_fields)); // optional

    const en = await data(ex, 'create_bid', { direction_id: 6, calc_amount: 5000, account1: CARD, cfgive8: 'A B', account2: ETH, cf6: 'a@b.co' }, { lang: 'en_US' });
    assert.deepEqual(en.error_fields, { cf12: 'value is not selected' });
    assert.equal(en.error_text, 'Error!');

    const tooMuch = await data(ex, 'create_bid', goodBid({ calc_amount: 9e9 }));
    assert.match(tooMuch.error_fields.sum1, /макс\.: 1500000 RUB/);
    assert.match(tooMuch.error_fields.sum2, /макс\.: 4\.21873BTC</); // the script's missing space

    assert.equal((await data(ex, 'create_bid', { calc_amount: 1 })).error_text, 'Ошибка! Направление обмена не существует');
    const frozen = await data(ex, 'create_bid', { direction_id: 12, calc_amount: 100, account2: 'P1234567', cf6: 'a@b.co' }, { lang: 'en_US' });
    assert.deepEqual(frozen, { error: '3', error_text: 'Error! Exchange direction is disabled', error_fields: [], data: [] });
  });

  test('create_bid success: data shape, address for crypto, link and disabled actions', async () => {
    const fiat = (await data(ex, 'create_bid', goodBid())).data;
    assert.deepEqual(Object.keys(fiat), ['url', 'id', 'hash', 'status', 'status_title', 'psys_give', 'psys_get',
      'currency_code_give', 'currency_code_get', 'amount_give', 'amount_get', 'course_give', 'course_get', 'api_actions']);
    assert.equal(typeof fiat.id, 'number');
    assert.equal(fiat.status, 'new');
    assert.equal(fiat.status_title, 'Новая заявка');
    assert.deepEqual(Object.keys(fiat.api_actions), ['type', 'cancel', 'pay', 'pay_amount', 'instruction']);
    assert.deepEqual([fiat.api_actions.type, fiat.api_actions.cancel, fiat.api_actions.pay], ['default', 'api', 'api']);
    assert.equal(fiat.url, `${ex.origin}/hst_${fiat.hash}/`);

    const crypto = (await data(ex, 'create_bid', { direction_id: 1, calc_amount: 0.01, account2: CARD, cf6: 'a@b.co' }, { lang: 'en_US' })).data;
    assert.match(crypto.address, /^bc1q[02-9ac-hj-np-z]{38}$/);
    assert.equal(crypto.api_actions.type, 'address');
    assert.ok(crypto.api_actions.instruction.includes(crypto.address));
    assert.equal(crypto.status_title, 'New order');

    const link = (await data(ex, 'create_bid', { direction_id: 8, calc_amount: 100, account1: 'P1234567', account2: BTC, cf6: 'a@b.co' })).data;
    assert.equal(link.api_actions.pay, `${ex.origin}/__sandbox/pay/${link.hash}`);
    assert.equal(link.amount_give, '100.95'); // Payeer fee on top
    assert.deepEqual(await data(ex, 'pay_bid', { id: link.id }), { error: '2', error_text: 'action disabled', data: '' });
    const page = await fetch(link.api_actions.pay);
    assert.match(await page.text(), /<form method="post">/);
    const paid = await fetch(link.api_actions.pay, { method: 'POST', redirect: 'manual' });
    assert.equal(paid.status, 303);
    assert.equal((await data(ex, 'bid_info', { hash: link.hash })).data.status, 'payed');

    const noCancel = (await data(ex, 'create_bid', { direction_id: 7, calc_amount: 1, account2: '+7 701 123 45 67', cf6: 'a@b.co' })).data;
    assert.equal(noCancel.api_actions.cancel, 'disabled');
    assert.deepEqual(await data(ex, 'cancel_bid', { hash: noCancel.hash }), { error: '2', error_text: 'action disabled', data: '' });
  });

  test('api_id must be unique per login and is cut to 100 characters', async () => {
    const first = await data(ex, 'create_bid', goodBid({ api_id: 'order-42' }));
    assert.equal(first.error, '0');
    const again = await data(ex, 'create_bid', goodBid({ api_id: 'order-42' }));
    assert.equal(again.error, '3');
    assert.equal(again.error_text, 'api id not unique');
    assert.deepEqual(again.error_fields, []); // the real server names no field for it
    const alsoInvalid = await data(ex, 'create_bid', goodBid({ api_id: 'order-42', account2: 'x' }));
    assert.equal(alsoInvalid.error_text, 'api id not unique');
    assert.deepEqual(Object.keys(alsoInvalid.error_fields), ['account2']);
    assert.equal((await data(ex, 'create_bid', goodBid({ api_id: 'order-42' }), { login: 'other', key: 'other-key' })).error, '0');
    const long = 'x'.repeat(150);
    assert.equal((await data(ex, 'create_bid', goodBid({ api_id: long }))).error, '0');
    assert.equal((await data(ex, 'create_bid', goodBid({ api_id: long.slice(0, 100) }))).error, '3');
  });

  test('bid lifecycle: pay, ticks to success, idempotent repeats, transitions, visibility', async () => {
    const bid = (await data(ex, 'create_bid', goodBid())).data;
    assert.deepEqual(await data(ex, 'pay_bid', { hash: bid.hash }), { error: '0', error_text: '', data: 'payed' });
    assert.deepEqual(await data(ex, 'pay_bid', { id: bid.id }), { error: '0', error_text: '', data: 'payed' });
    const info = await data(ex, 'bid_info', { id: bid.id });
    assert.equal(info.data.id, String(bid.id)); // read back from the "database": a string
    assert.equal(info.data.api_actions.type, 'finished');
    await data(ex, 'test'); // tickMs 0: every API call is a tick (3 ticks complete a paid bid)
    assert.equal((await data(ex, 'bid_info', { id: bid.id })).data.status, 'success');
    assert.deepEqual(await data(ex, 'cancel_bid', { id: bid.id }), { error: '1', error_text: 'no bid exists', data: '' });
    assert.deepEqual(await data(ex, 'success_bid', { id: bid.id }), { error: '0', error_text: '', data: 'success' });

    const other = (await data(ex, 'create_bid', goodBid())).data;
    assert.deepEqual(await data(ex, 'cancel_bid', { id: other.id }), { error: '0', error_text: '', data: 'cancel' });
    assert.deepEqual(await data(ex, 'cancel_bid', { id: other.id }), { error: '0', error_text: '', data: 'cancel' });
    assert.deepEqual(await data(ex, 'pay_bid', { id: other.id }), { error: '1', error_text: 'no bid exists', data: '' });
    assert.equal((await data(ex, 'bid_info', { id: other.id }, { lang: 'en_US' })).data.status_title, 'Cancelled order');

    assert.deepEqual(await data(ex, 'bid_info', { id: other.id }, { login: 'other', key: 'other-key' }),
      { error: '1', error_text: 'no bid exists', error_fields: [], data: [] });
    assert.equal((await data(ex, 'cancel_bid', { hash: other.hash }, { login: 'other', key: 'other-key' })).error_text, 'no bid exists');
    assert.equal((await data(ex, 'bid_info', {})).error_text, 'no bid exists');
  });

  test('status callback: one form POST per change, recorded', async () => {
    const rx = await receiver();
    try {
      const bid = (await data(ex, 'create_bid', goodBid({ callback_url: rx.url }))).data;
      assert.equal(rx.hits.length, 0); // no callback for the creation itself
      await data(ex, 'pay_bid', { id: bid.id }); // answers after the callback attempt
      assert.equal(rx.hits.length, 1);
      const hit = rx.hits[0];
      assert.equal(hit.method, 'POST');
      assert.equal(hit.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(hit.body, `bid_id=${bid.id}&status=payed`);
      assert.ok(!('x-signature' in hit.headers));
      await ex.setBidStatus(bid.id, 'success');
      assert.equal(rx.hits[1].body, `bid_id=${bid.id}&status=success`);
      await ex.setBidStatus(bid.id, 'delete'); // deletion is the one change not reported
      assert.equal(rx.hits.length, 2);
      const log = ex.callbacks().filter((c) => c.bidId === bid.id);
      assert.deepEqual(log.map((c) => [c.url, c.body, c.status]), [
        [rx.url, `bid_id=${bid.id}&status=payed`, 200],
        [rx.url, `bid_id=${bid.id}&status=success`, 200],
      ]);
    } finally {
      await rx.close();
    }
    // A dead receiver: one attempt, recorded with status 0 and the error, no retry.
    const dead = (await data(ex, 'create_bid', goodBid({ callback_url: rx.url }))).data;
    await data(ex, 'cancel_bid', { id: dead.id });
    const entries = ex.callbacks().filter((c) => c.bidId === dead.id);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].status, 0);
    assert.ok(entries[0].error);
  });

  test('drop-after-commit on create_bid leaves exactly one bid, found again by api_id', async () => {
    const before = ex.bids().length;
    ex.failNext({ method: 'create_bid', mode: 'drop-after-commit' });
    await assert.rejects(call(ex, 'create_bid', goodBid({ api_id: 'drop-1' })));
    const bids = ex.bids();
    assert.equal(bids.length, before + 1);
    assert.equal(bids.filter((b) => b.apiId === 'drop-1').length, 1);
    const retry = await data(ex, 'create_bid', goodBid({ api_id: 'drop-1' }));
    assert.match(retry.error_text, /api id not unique/);
    assert.equal(ex.bids().length, before + 1);
    // The client recovers the bid by paging get_exchanges and matching api_id itself.
    const items = (await data(ex, 'get_exchanges', { limit: 500 })).data.items;
    assert.equal(items.filter((i) => i.api_id === 'drop-1').length, 1);
  });

  test('get_exchanges: the 2.7 api_id filter compares with the bid id', async () => {
    const a = (await data(ex, 'create_bid', goodBid({ api_id: 'bug-a' }))).data;
    const b = (await data(ex, 'create_bid', goodBid({ api_id: String(a.id) }))).data;
    const byOwnApiId = await data(ex, 'get_exchanges', { api_id: 'bug-a' });
    assert.deepEqual(byOwnApiId.data, []); // nothing: 'bug-a' is compared with ids
    const byId = (await data(ex, 'get_exchanges', { api_id: String(a.id) })).data.items;
    assert.deepEqual(byId.map((i) => [i.id, i.api_id]), [[String(a.id), 'bug-a']]); // not bid b
    assert.notEqual(byId[0].id, String(b.id));
  });

  test('get_exchanges: fields, history, id lists, limit/offset, per-login, empty = []', async () => {
    const res = await data(ex, 'get_exchanges', { limit: 2, status_history: 1 });
    assert.equal(res.data.items.length, 2);
    const item = res.data.items[0];
    for (const k of ['id', 'api_id', 'time', 'date', 'psys_give', 'psys_get', 'currency_code_give', 'currency_code_get',
      'course_give', 'course_get', 'amount_give', 'amount_get', 'exchange_success', 'user_hash', 'user_ip', 'status', 'statuses']) {
      assert.ok(k in item, k);
    }
    assert.equal(typeof item.time, 'number');
    assert.match(item.date, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(item.statuses[0].status, 'new');
    const two = res.data.items.map((i) => i.id);
    const listed = (await data(ex, 'get_exchanges', { id: two.join(',') })).data.items;
    assert.deepEqual(listed.map((i) => i.id).sort(), [...two].sort());
    const next = (await data(ex, 'get_exchanges', { limit: 1, offset: 1 })).data.items;
    assert.equal(next[0].id, two[1]);
    const success = (await data(ex, 'get_exchanges', { limit: 500 })).data.items.find((i) => i.status === 'success');
    assert.equal(success.exchange_success, 1);
    assert.deepEqual(await data(ex, 'get_exchanges', {}, { login: 'limited', key: 'limited-key' }),
      { error: 3, error_text: 'Method not supported' });
    assert.deepEqual(await data(ex, 'get_exchanges', { start_time: 4102444800 }), { error: '0', error_text: '', data: [] });
  });

  test('partner programme methods', async () => {
    const info = (await data(ex, 'get_partner_info')).data;
    assert.equal(info.partner_id, 7);
    assert.equal(typeof info.balance, 'number');
    assert.ok(info.items.every((i) => /%$/.test(i.comission)));
    assert.equal((await data(ex, 'get_partner_links', { limit: 2 })).data.items.length, 2);

    await data(ex, 'create_bid', goodBid({ partner_id: 7 }), { login: 'other', key: 'other-key' });
    const px = (await data(ex, 'get_partner_exchanges')).data.items;
    assert.equal(px.length, 1);
    assert.equal(px[0].accrued, 0);
    assert.ok(!('api_id' in px[0]));

    assert.equal((await data(ex, 'add_partner_payout', { method_id: 3, account: 'nope' })).error_text, 'Ошибка! Неверный счёт для выплаты');
    const payout = await data(ex, 'add_partner_payout', { method_id: 3, account: USDT });
    assert.equal(payout.error, '0');
    assert.equal(typeof payout.data.payout_id, 'number');
    const payouts = (await data(ex, 'get_partner_payouts')).data.items;
    assert.equal(payouts[0].id, String(payout.data.payout_id));
    assert.equal(payouts[0].status, '0');
    assert.match((await data(ex, 'add_partner_payout', { method_id: 3, account: USDT })).error_text, /10 USD/);

    assert.deepEqual(await data(ex, 'get_partner_info', {}, { login: 'system', key: 'system-key' }),
      { error: '1', error_text: 'no partner id', data: [] });
    assert.deepEqual(await data(ex, 'get_partner_links', {}, { login: 'nopp', key: 'nopp-key' }),
      { error: '1', error_text: 'no active partner program', data: [] });
  });

  test('list items carry the seed\'s fields and no others; unknown filters are ignored', async () => {
    // The partner test above made this bid under login 'other' with partner_id 7.
    const bid = (await data(ex, 'get_partner_exchanges')).data.items[0];
    const common = ['id', 'time', 'date', 'psys_give', 'psys_get', 'currency_code_give', 'currency_code_get',
      'course_give', 'course_get', 'amount_give', 'amount_get', 'exchange_success'];
    const own = (await data(ex, 'get_exchanges', { id: bid.id, status_history: 1 }, { login: 'other', key: 'other-key' })).data.items;
    assert.deepEqual(Object.keys(own[0]), ['id', 'api_id', ...common.slice(1), 'user_hash', 'user_ip', 'status', 'statuses']);
    const partner = (await data(ex, 'get_partner_exchanges', { id: bid.id })).data.items;
    assert.deepEqual(Object.keys(partner[0]), [...common, 'accrued', 'partner_reward', 'user_hash', 'user_ip', 'status']);
    const links = (await data(ex, 'get_partner_links', { limit: 1 })).data.items;
    assert.deepEqual(Object.keys(links[0]), ['time', 'date', 'browser', 'ip', 'referrer', 'user_hash', 'query_string']);
    // `hash` is no get_exchanges filter in the seed: the list comes back unfiltered.
    const { hash } = ex.bids().find((b) => String(b.id) === bid.id);
    const byHash = (await data(ex, 'get_exchanges', { hash }, { login: 'other', key: 'other-key' })).data.items;
    assert.ok(byHash.length > 1);
  });

  test('API-LANG switches labels, titles and messages', async () => {
    const ru = (await data(ex, 'get_direction', { direction_id: 2 })).data;
    const en = (await data(ex, 'get_direction', { direction_id: 2 }, { lang: 'en_US' })).data;
    assert.equal(ru.give_fields.account1.label, 'Номер карты');
    assert.equal(en.give_fields.account1.label, 'Card number');
    assert.match(en.info.timeline_text, /Sberbank RUB/);
    assert.equal((await data(ex, 'test', {}, { lang: 'en_US' })).data.locale, 'en_US');
    assert.equal((await data(ex, 'test', {}, { lang: 'xx_XX' })).data.locale, 'ru_RU');
  });

  test('hostile direction carries payloads in texts, plain currency titles', async () => {
    const d = (await data(ex, 'get_direction', { direction_id: 13 })).data;
    const texts = [d.info.timeline_text, d.info.before_button_text, d.com_give, d.com_get, d.give_fields.account1.label,
      d.give_fields.account1.tooltip, d.get_fields.account2.label, d.dir_fields.cf30.label, d.dir_fields.cf30.tooltip].join('\n');
    for (const p of ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', '<a href="javascript:window.__pwned=1">click</a>']) {
      assert.ok(texts.includes(p), p);
    }
    assert.match(d.info.timeline_text, /<b>[^<]+<\/b>.*<br>.*<a href="https:\/\//);
    const dirs = (await data(ex, 'get_directions')).data.find((x) => x.direction_id === '13');
    assert.equal(dirs.currency_give_title, 'Сбербанк RUB');
    const err = await data(ex, 'create_bid', { direction_id: 13, calc_amount: 5000, account1: 'x', account2: 'y' });
    assert.match(err.error_fields.account1, /onerror/);
    const bid = (await data(ex, 'create_bid', { direction_id: 13, calc_amount: 5000, account1: CARD, cfgive8: 'A B', account2: 'ltc1qg82tl0pq2ye9k0kz6kz4jnp0qqgpyc8mkttv2m', cf30: 'a@b.co' })).data;
    assert.match(bid.api_actions.instruction, /<script>/);
    const page = await (await fetch(bid.url)).text();
    assert.doesNotMatch(page, /<script>|onerror=/);
  });

  test('logos are served and linked with the Host the client used', async () => {
    const res = await fetch(`${ex.origin}/logos/btc.svg`);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.match(await res.text(), /^<svg /);
    assert.equal((await fetch(`${ex.origin}/logos/nope.svg`)).status, 404);
    const port = new URL(ex.origin).port;
    const viaLocalhost = await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/userapi/v1/get_directions', method: 'POST',
        headers: { Host: `localhost:${port}`, 'API-LOGIN': 'demo', 'API-KEY': 'demo-key' } }, (r) => {
        let t = '';
        r.on('data', (c) => { t += c; });
        r.on('end', () => resolve(JSON.parse(t)));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(viaLocalhost.data[0].currency_give_logo, `http://localhost:${port}/logos/btc.svg`);
  });

  test('other faults: http500, empty, non-json, slow, count and method matching', async () => {
    ex.failNext({ method: 'test', mode: 'http500', count: 2 });
    assert.equal((await call(ex, 'test')).status, 500);
    assert.equal((await call(ex, 'get_directions')).status, 200); // other methods unaffected
    assert.equal((await call(ex, 'test')).status, 500);
    assert.equal((await call(ex, 'test')).json.error, 0);

    const before = ex.bids().length;
    ex.failNext({ method: 'create_bid', mode: 'empty' });
    const empty = await call(ex, 'create_bid', goodBid());
    assert.deepEqual([empty.status, empty.text], [200, '']);
    assert.equal(ex.bids().length, before); // not processed

    ex.failNext({ mode: 'non-json' });
    const spoiled = await call(ex, 'create_bid', goodBid());
    assert.equal(spoiled.json, undefined);
    assert.match(spoiled.text, /<b>Warning<\/b>.*\{"error":"0"/s);
    assert.equal(ex.bids().length, before + 1); // processed, answer spoiled

    ex.failNext({ method: 'test', mode: 'slow', delayMs: 150 });
    const t0 = Date.now();
    assert.equal((await call(ex, 'test')).json.error, 0);
    assert.ok(Date.now() - t0 >= 140);

    assert.throws(() => ex.failNext({ mode: 'explode' }), TypeError);
    const viaHttp = await fetch(`${ex.origin}/__sandbox/fail`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method: 'test', mode: 'empty' }) });
    assert.deepEqual(await viaHttp.json(), { ok: true });
    assert.equal((await call(ex, 'test')).text, '');
  });

  test('HTTP controls: bids, callbacks, status', async () => {
    const bid = (await data(ex, 'create_bid', goodBid())).data;
    const listed = await (await fetch(`${ex.origin}/__sandbox/bids`)).json();
    assert.ok(listed.some((b) => b.id === bid.id && b.hash === bid.hash));
    const set = await fetch(`${ex.origin}/__sandbox/status`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: bid.id, status: 'verify' }) });
    assert.equal((await set.json()).bid.status, 'verify');
    assert.equal((await data(ex, 'bid_info', { id: bid.id })).data.status, 'verify');
    assert.equal((await fetch(`${ex.origin}/__sandbox/status`, { method: 'POST', body: new URLSearchParams({ id: '1', status: 'x' }) })).status, 404);
    assert.equal((await fetch(`${ex.origin}/__sandbox/status`, { method: 'POST', body: new URLSearchParams({ id: String(bid.id), status: 'Bad!' }) })).status, 400);
    assert.ok(Array.isArray(await (await fetch(`${ex.origin}/__sandbox/callbacks`)).json()));
    await assert.rejects(ex.setBidStatus(999999, 'success'), RangeError);
  });
});

test('automatic progression with a timer: payed → success after 3 ticks', async () => {
  const ex = await startExchanger({ tickMs: 15 });
  try {
    const bid = (await data(ex, 'create_bid', goodBid())).data;
    await data(ex, 'pay_bid', { id: bid.id });
    const deadline = Date.now() + 2000;
    let status;
    do {
      await new Promise((r) => setTimeout(r, 20));
      status = ex.bids().find((b) => b.id === bid.id).status;
    } while (status !== 'success' && Date.now() < deadline);
    assert.equal(status, 'success');
    assert.deepEqual(ex.bids()[0].history.map((h) => h.status), ['new', 'payed', 'success']);
  } finally {
    await ex.close();
  }
});

test('defaults: demo key, no hostile direction, close() is idempotent', async () => {
  const ex = await startExchanger();
  const dirs = (await data(ex, 'get_directions')).data;
  assert.equal(dirs.length, 12);
  assert.ok(!dirs.some((d) => d.direction_id === '13'));
  assert.equal((await data(ex, 'get_partner_info')).data.partner_id, 1);
  await ex.close();
  await ex.close();
  await assert.rejects(fetch(`${ex.url}test`));
});

test('CLI prints its URL and the demo credentials', async () => {
  const child = spawn(process.execPath, [SANDBOX, '--port', '0', '--hostile'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (c) => { out += c; if (out.includes('controls:')) resolve(); });
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const url = /(http:\/\/127\.0\.0\.1:\d+\/api\/userapi\/v1\/)/.exec(out)[1];
    assert.match(out, /API-LOGIN: demo/);
    assert.match(out, /API-KEY:\s+demo-key/);
    const res = await fetch(`${url}get_direction`, { method: 'POST', headers: { 'API-LOGIN': 'demo', 'API-KEY': 'demo-key',
      'Content-Type': 'application/x-www-form-urlencoded' }, body: 'direction_id=13' });
    assert.equal(JSON.parse(await res.text()).data.id, '13');
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
