// Tests of the api2 sandbox itself (www-demo/sandbox), over real HTTP on 127.0.0.1.
// Run: node --test tests/sandbox/

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createServer } from 'node:http';
import { crc32, inflateSync } from 'node:zlib';
import { startGateway } from '../../www-demo/sandbox/gateway.mjs';
import { receiver as serve } from '../receiver.mjs';
import {
  parsePhpJson, parsePhpQuery, phpFloatToString, phpJsonEncode, phpSign, phpSigningString,
} from '../../www-demo/sandbox/php-sign.mjs';

const SHOP = { shopID: 522, apiKey: 'test-api-key', secretKey: 'test-secret-key' };
const FAST = { tickMs: 20, callbackRetryMs: 20, callbackTimeoutMs: 1000 };

// php on PATH decides whether the PHP cross-checks run; in CI its absence is a failure.
const PHP = (() => {
  try {
    execFileSync('php', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const phpSkip = PHP ? false : process.env.CI === 'true' ? false : 'php is not on PATH';
function php(code, input) {
  if (!PHP) assert.fail('php is not on PATH (CI=true requires it: apt-get install -y php-cli)');
  return execFileSync('php', ['-d', 'error_reporting=0', '-r', code], { input, encoding: 'utf8' });
}

/** Signs `params` with the shop's API key and calls `endpoint` as JSON, form POST or GET. */
async function call(gw, endpoint, params, { as = 'json', key = SHOP.apiKey, sign = true } = {}) {
  const data = { ...params };
  if (sign) data.sign = phpSign(data, key);
  if (as === 'get') {
    return (await fetch(gw.url + endpoint + '?' + new URLSearchParams(data))).json();
  }
  const body = as === 'form' ? new URLSearchParams(data).toString() : JSON.stringify(data);
  const type = as === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
  const res = await fetch(gw.url + endpoint, { method: 'POST', headers: { 'content-type': type }, body });
  return res.json();
}

async function until(check, what, timeoutMs = 3000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// A local IPN receiver that answers with the given HTTP statuses in turn (the last repeats).
function receiver(statuses) {
  let n = 0;
  return serve(() => [statuses[Math.min(n++, statuses.length - 1)], 'OK']);
}

let uniqCounter = 0;
const uniq = () => `test-${process.pid}-${++uniqCounter}`;
const payment = (extra = {}) => ({
  shopID: 522, uniqID: uniq(), currID: 86, amount: 1000, statusURL: 'http://127.0.0.1:9/ipn', ...extra,
});
const withdraw = (extra = {}) => ({
  shopID: 522, uniqID: uniq(), currID: 83, amount: 1000, number: '4111111111111111',
  info: 'Сидоров Джон', statusURL: 'http://127.0.0.1:9/ipn', ...extra,
});

describe('php-sign', () => {
  test('the seed test vector', () => {
    assert.equal(phpSigningString({ param1: 1n, param2: 2n }, 'KKKeeey'), '1:2:KKKeeey');
    assert.equal(phpSign({ param2: '2', param1: '1' }, 'KKKeeey'), '5c69e53c91bfd96cfc3e61604558107a314060ef');
  });

  test('PHP value rules, byte-wise key order, sign ignored', () => {
    const data = { b: true, a: [1], 10: 'ten', 2: 'two', é: 0.1 + 0.2, z: false, n: null, sign: 'x' };
    // strcmp order: "10" < "2" < "a" < "b" < "n" < "z" < "é" (0xC3 sorts last)
    assert.equal(phpSigningString(data, 'K'), 'ten:two:Array:1:::0.3:K');
  });

  test('parsePhpJson keeps PHP number kinds', () => {
    const d = parsePhpJson('{"i":2,"f":2.0,"e":1e2,"big":9223372036854775808,"max":9223372036854775807,"neg0":-0}');
    assert.equal(d.i, 2n);
    assert.equal(d.f, 2);
    assert.equal(d.max, 9223372036854775807n);
    assert.equal(typeof d.big, 'number');
    assert.equal(phpSigningString(d, 'K'), '9.2233720368548E+18:100:2:2:9223372036854775807:0:K');
    assert.throws(() => parsePhpJson('{"a":1,}'), SyntaxError);
    assert.throws(() => parsePhpJson('{"a":"\\ud800"}'), SyntaxError);
  });

  test('float formatting (precision 14) and json_encode floats match php', { skip: phpSkip }, () => {
    const values = [
      '0.1+0.2', '1e15', '1e14', '1e13', '0.00001', '0.0001', '-0.0', '100000000000005.0',
      '100000000000015.0', '100000000000000.5', '999999999999995.0', '12345678901234.5', 'INF',
      '-INF', 'NAN', '1.5', '2.0', '1/3', '-2/3', '123456789012345678.0', '1e300', '5e-324',
      '1.7976931348623157e308', '500.52', '0.045', '1e22', '2.5e-5', '9007199254740993.0',
    ];
    const expected = php(`ini_set("precision", "14"); foreach ([${values.join(',')}] as $x) echo implode(":", [$x]), "|", is_finite($x) ? json_encode($x) : "", "\\n";`)
      .trim().split('\n');
    values.forEach((src, i) => {
      const x = src === 'INF' ? Infinity : src === '-INF' ? -Infinity : src === 'NAN' ? NaN : Function(`return ${src}`)();
      const mine = phpFloatToString(x) + '|' + (Number.isFinite(x) ? phpJsonEncode(x) : '');
      assert.equal(mine, expected[i], `value ${src}`);
    });
  });

  test('a JSON body signs as PHP json_decode + ksort + implode does', { skip: phpSkip }, () => {
    const body = '{"b":1,"a":[1,{"x":2}],"10":2,"2":3,"\\u00e9":4,"z":true,"n":null,"f":false,'
      + '"big":9223372036854775808,"neg0":-0,"fl":1.0,"e":1e2,"s":"x\\/y \\ud83d\\ude00","amount":500.52,'
      + '"tiny":1e-7,"b":"dup","":"empty"}';
    const expected = php('$d = json_decode(file_get_contents("php://stdin"), true); ksort($d, SORT_STRING); echo implode(":", $d), ":K";', body);
    assert.equal(phpSigningString(parsePhpJson(body), 'K'), expected);
  });

  test('form decoding matches parse_str', { skip: phpSkip }, () => {
    const query = 'a.b=1&c d=2&u[x]=3&u[y][]=4&u[y][]=5&k[=6&z=a+b%20c&e&%D0%BF=%D1%80&arr[]=1&[x]=no';
    assert.equal(phpJsonEncode(parsePhpQuery(query)), php('parse_str(file_get_contents("php://stdin"), $o); echo json_encode($o);', query));
  });
});

describe('api2 sandbox', () => {
  let gw;
  before(async () => {
    gw = await startGateway({ ...FAST, shops: [SHOP], rateLimitPerSecond: 1000 });
  });
  after(() => gw.close());

  test('echo answers the seed example the same for JSON, form and GET', async () => {
    const seed = { payload: { param2: '2', param1: '1', key: 'KKKeeey' }, tosign: '1:2:KKKeeey', sign: '5c69e53c91bfd96cfc3e61604558107a314060ef' };
    const params = { param2: '2', param1: '1', key: 'KKKeeey' };
    for (const as of ['json', 'form', 'get']) assert.deepEqual(await call(gw, 'echo', params, { as, sign: false }), seed, as);
    // JSON numbers stay numbers in the payload and sign as PHP ints
    assert.deepEqual(await call(gw, 'echo', { param1: 1, param2: 2, key: 'KKKeeey' }, { sign: false }),
      { payload: { param1: 1, param2: 2, key: 'KKKeeey' }, tosign: '1:2:KKKeeey', sign: seed.sign });
  });

  test('a signed payment succeeds and is approved', async () => {
    const res = await call(gw, 'payment', payment({ amount: 500.52, memo: 'Пополнение средств', userInfo: { ua: 'Mozilla/5.0 (Macintosh)' } }));
    assert.equal(res.error, undefined, JSON.stringify(res));
    assert.deepEqual(Object.keys(res), ['id', 'currID', 'curr', 'amount', 'number', 'info', 'page', 'card', 'fio']);
    assert.equal(res.amount, 500.52);
    assert.match(res.number, /^\d{16}$/);
    const status = await until(async () => {
      const s = await call(gw, 'status', { shopID: 522, id: res.id });
      return s.result.status === 3 && s;
    }, 'approval');
    assert.deepEqual(status.result, {
      type: 'payment', id: res.id, currID: 86, curr: 'RUB', amount: '500.52', label: '',
      memo: 'Пополнение средств', status: 3, statusText: 'Approved', info: '',
    });
  });

  test('SBP payment carries tel, bank, bankTitle, paymentLink', async () => {
    const res = await call(gw, 'payment', payment({ currID: 88 }));
    assert.match(res.tel, /^\+79\d{9}$/);
    assert.equal(res.bankTitle, 'Сбербанк');
    assert.ok(res.paymentLink.startsWith(res.page));
    assert.equal((await fetch(res.page)).status, 200);
  });

  test('form POST, GET and trailing slash give the same answer as JSON', async () => {
    const { id } = await call(gw, 'payment', payment({ amount: 777 }));
    const json = await call(gw, 'status', { shopID: 522, id });
    assert.deepEqual(await call(gw, 'status', { shopID: '522', id: String(id) }, { as: 'form' }), json);
    assert.deepEqual(await call(gw, 'status', { shopID: '522', id: String(id) }, { as: 'get' }), json);
    assert.deepEqual(await call(gw, 'status/', { shopID: 522, id }), json);
  });

  test('a form body is read when its Content-Type is the form type as PHP reads it', async () => {
    const params = { shopID: '522', id: '1' };
    const body = new URLSearchParams({ ...params, sign: phpSign(params, SHOP.apiKey) }).toString();
    const post = async (type) => (await fetch(gw.url + 'status', { method: 'POST', headers: { 'content-type': type }, body })).json();
    // PHP lowercases the type and cuts it at ';', ',' or a space.
    assert.equal((await post('Application/X-WWW-Form-Urlencoded;charset=UTF-8')).error, 'id_wrong');
    assert.equal((await post('application/x-www-form-urlencoded , text/plain')).error, 'id_wrong');
    assert.equal((await post('text/plain; a=application/x-www-form-urlencoded')).error, 'data_wrong');
  });

  test('request errors', async () => {
    const cases = [
      ['payment', payment(), { key: 'wrong' }, 'sign_wrong'],
      ['payment', payment({ uniqID: 'has space' }), {}, 'param_wrong'],
      ['payment', payment({ amount: '10,5' }), {}, 'param_wrong'],
      ['payment', payment({ shopID: 1 }), {}, 'shopID_wrong'],
      ['payment', payment({ currID: 6 }), {}, 'currID_wrong'], // the seed's example id, not in its table
      ['payment', payment({ currID: 83 }), {}, 'currID_wrong'], // payouts only
      ['payment', payment({ amount: 99.99 }), {}, 'amount_small'],
      ['payment', payment({ amount: 500000.01 }), {}, 'amount_big'],
      ['payment', payment({ statusURL: undefined }), {}, 'statusURL_wrong'],
      ['payment', payment({ uniqID: undefined }), {}, 'uniqID_empty'],
      ['payment', payment({ currID: 11 }), {}, 'param_wrong'], // UZS needs prefer
      ['withdraw', withdraw({ number: '4111111111111112' }), {}, 'number_wrong'], // Luhn
      ['withdraw', withdraw({ number: '411111111111111' }), {}, 'number_wrong'],
      ['withdraw', withdraw({ number: '4111-1111-1111-1111' }), {}, 'number_format_wrong'],
      ['withdraw', withdraw({ currID: 93, number: '+790637110' }), {}, 'number_wrong'], // under 10 digits,
      ['withdraw', withdraw({ amount: 400000 }), {}, 'low_balance'],
      ['status', { shopID: 522 }, {}, 'id_empty'],
      ['status', { shopID: 522, id: 1 }, {}, 'id_wrong'],
      ['dispute/status', { shopID: 522, id: 1 }, {}, 'id_wrong'],
      ['acquire/confirm', { shopID: 522, code: '1234' }, {}, 'id_empty'],
    ];
    for (const [endpoint, params, opts, code] of cases) {
      for (const k of Object.keys(params)) if (params[k] === undefined) delete params[k];
      const res = await call(gw, endpoint, params, opts);
      assert.equal(res.error, code, `${endpoint} ${JSON.stringify(params)} -> ${JSON.stringify(res)}`);
      assert.equal(typeof res.info, 'string');
    }
    const empty = await (await fetch(gw.url + 'payment', { method: 'POST', body: '[]', headers: { 'content-type': 'application/json' } })).json();
    assert.equal(empty.error, 'data_wrong');
  });

  test('a used uniqID: uniqID_empty on payment, uniqID_used2 on withdraw', async () => {
    const p = payment();
    assert.equal((await call(gw, 'payment', p)).error, undefined);
    assert.equal((await call(gw, 'payment', p)).error, 'uniqID_empty');
    const w = withdraw();
    assert.equal((await call(gw, 'withdraw', w)).error, undefined);
    assert.equal((await call(gw, 'withdraw', w)).error, 'uniqID_used2');
  });

  test('drop-after-commit leaves exactly one operation, found by uniqID', async () => {
    const p = payment();
    gw.failNext({ path: 'payment', mode: 'drop-after-commit' });
    await assert.rejects(call(gw, 'payment', p));
    assert.equal((await call(gw, 'payment', p)).error, 'uniqID_empty'); // the retry cannot pay twice
    assert.equal(gw.operations().filter((op) => op.uniqID === p.uniqID).length, 1);
    const found = await call(gw, 'status', { shopID: 522, uniqID: p.uniqID });
    assert.equal(found.result.amount, '1000.00');
  });

  test('http500, non-json and slow faults, set over HTTP', async () => {
    const fail = (spec) => fetch(gw.origin + '/__sandbox/fail', { method: 'POST', body: JSON.stringify(spec) });
    assert.equal((await fail({ path: 'balance_all', mode: 'http500' })).status, 200);
    let res = await fetch(gw.url + 'balance_all', { method: 'POST' });
    assert.equal(res.status, 500);
    assert.match(await res.text(), /<html>/);
    await fail({ path: 'balance_all', mode: 'non-json' });
    res = await fetch(gw.url + 'balance_all');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^<html>/);
    const p = payment();
    await fail({ path: 'payment', mode: 'http500' });
    await call(gw, 'payment', p).catch(() => {});
    assert.equal(gw.operations().filter((op) => op.uniqID === p.uniqID).length, 0, 'http500 commits nothing by default');
    await fail({ path: 'payment', mode: 'slow', delayMs: 300 });
    await assert.rejects(fetch(gw.url + 'payment', {
      method: 'POST', body: JSON.stringify({ ...p, sign: phpSign(p, SHOP.apiKey) }), signal: AbortSignal.timeout(100),
    }));
    await until(() => gw.operations().some((op) => op.uniqID === p.uniqID), 'the slow payment to commit');
    assert.equal((await fail({ mode: 'nope' })).status, 400);
  });

  test('error fault: any code of the seed\'s table, answered without carrying the request out', async () => {
    const p = payment();
    gw.failNext({ path: 'payment', mode: 'error', code: 'general_decline', info: 'каскад' });
    assert.deepEqual(await call(gw, 'payment', p), { error: 'general_decline', info: 'каскад' });
    assert.equal(gw.operations().filter((op) => op.uniqID === p.uniqID).length, 0);
    assert.equal((await call(gw, 'payment', p)).error, undefined, 'one answer only');
    assert.throws(() => gw.failNext({ mode: 'error', code: 'made_up' }), /seed's error codes/);
    const res = await fetch(gw.origin + '/__sandbox/fail', { method: 'POST', body: JSON.stringify({ path: 'status', mode: 'error', code: 'Total amount per day limit' }) });
    assert.equal(res.status, 200);
    assert.equal((await call(gw, 'status', { shopID: 522, id: 1 })).error, 'Total amount per day limit');
  });

  test('balances and limits', async () => {
    // A gateway of its own where nothing moves by itself: the shared one approves earlier
    // payments in the background, which would change the balance between the two reads.
    const still = await startGateway({ ...FAST, tickMs: 3_600_000, shops: [SHOP], rateLimitPerSecond: 1000 });
    try {
      const before = (await call(still, 'balance_all', { shopID: 522 })).result.RUB;
      const w = await call(still, 'withdraw', withdraw({ amount: 1234.5 }));
      assert.equal(w.result.amount, 1234.5);
      const afterAll = (await call(still, 'balance_all', { shopID: 522 })).result.RUB;
      assert.equal(Math.round((before - afterAll) * 100), 123450, 'the payout holds its amount');
      const balance = await call(still, 'balance', { shopID: 522 });
      assert.match(balance.result[83], /^\d+\.\d{2}$/);
      const limit = await call(still, 'withdraw/limit', { shopID: 522 });
      assert.equal(limit.result.daily[83], '6000000.00');
    } finally {
      await still.close();
    }
  });

  test('withdraw/check returns a valid PNG once approved', async () => {
    const { result } = await call(gw, 'withdraw', withdraw());
    assert.equal((await call(gw, 'withdraw/check', { shopID: 522, id: result.id })).error, 'id_wrong');
    await until(() => gw.operations().find((op) => op.id === result.id).status === 3, 'payout approval');
    const check = await call(gw, 'withdraw/check', { shopID: 522, id: result.id });
    assert.equal(check.result.type, 'png');
    const png = Buffer.from(check.result.data, 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    let pos = 8;
    const chunks = {};
    while (pos < png.length) {
      const len = png.readUInt32BE(pos);
      const type = png.toString('latin1', pos + 4, pos + 8);
      assert.equal(png.readUInt32BE(pos + 8 + len), crc32(png.subarray(pos + 4, pos + 8 + len)), `${type} crc`);
      chunks[type] = png.subarray(pos + 8, pos + 8 + len);
      pos += 12 + len;
    }
    const [width, height] = [chunks.IHDR.readUInt32BE(0), chunks.IHDR.readUInt32BE(4)];
    assert.equal(inflateSync(chunks.IDAT).length, height * (width + 1));
    assert.ok('IEND' in chunks);
  });

  test('e-com: code confirmation, wrong code, resend', async () => {
    const params = {
      shopID: 522, uniqID: uniq(), currID: 109, amount: 1500, statusURL: 'http://127.0.0.1:9/ipn',
      from: { card: '2202112381841356', month: '09', year: '2029', cvv: 123 },
    };
    const res = await call(gw, 'acquire', params);
    assert.deepEqual(res, { id: res.id, currID: 109, curr: 'RUB', amount: 1500, code_required: true });
    const status = async () => (await call(gw, 'status', { shopID: 522, id: res.id })).result.status;
    await until(async () => (await status()) === 4, 'waiting for code');
    let confirm = await call(gw, 'acquire/confirm', { shopID: 522, id: String(res.id), code: '000000', time: 1 });
    assert.equal(confirm.result.status, 7);
    await until(async () => (await status()) === 8, 'wrong code');
    assert.equal((await call(gw, 'acquire/resend', { shopID: 522, id: res.id, time: 1 })).result.status, 4);
    confirm = await call(gw, 'acquire/confirm', { shopID: 522, id: res.id, code: '470179', time: 1 });
    assert.equal(confirm.result.statusText, 'Code received');
    await until(async () => (await status()) === 11, 'completion');
  });

  test('dispute: waiting, correcting, approved; the operation follows', async () => {
    const { id } = await call(gw, 'payment', payment({ amount: 444, label: 'vasya' }));
    await until(() => gw.operations().find((op) => op.id === id).status === 4, 'expiry');
    const dispute = await call(gw, 'dispute', { shopID: 522, id, amount: 500, comment: 'оплачено позже' });
    assert.equal(typeof dispute.result, 'number');
    const first = await call(gw, 'dispute/status', { shopID: 522, id: dispute.result });
    assert.deepEqual(first.result, {
      id: dispute.result, amount: '500.00', comment: 'оплачено позже', currID: 86, curr: 'RUB', status: 1,
      statusText: 'Waiting', operationID: id, operationAmount: '444.00', operationLabel: 'vasya', operationStatus: 4,
    });
    await until(async () => (await call(gw, 'dispute/status', { shopID: 522, id: dispute.result })).result.status === 3, 'dispute approval');
    const op = (await call(gw, 'status', { shopID: 522, id })).result;
    assert.equal(op.status, 3);
    assert.equal(op.amount, '500.00');
  });

  test('setStatus over HTTP forces a status', async () => {
    const { id } = await call(gw, 'payment', payment({ amount: 777 }));
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(gw.operations().find((op) => op.id === id).status, 0, 'amount 777 holds');
    const res = await fetch(gw.origin + '/__sandbox/status', { method: 'POST', body: JSON.stringify({ id, status: 5 }) });
    assert.equal((await res.json()).result.statusText, 'Canceled');
    assert.equal((await call(gw, 'status', { shopID: 522, id })).result.status, 5);
    const ops = await (await fetch(gw.origin + '/__sandbox/operations')).json();
    assert.ok(ops.some((op) => op.id === id && op.status === 5));
  });
});

describe('api2 sandbox: IPN, limits, permissions', () => {
  test('IPN retries after a 500 until 200, and its sign verifies', async () => {
    const rx = await receiver([500, 200]);
    const gw = await startGateway({ ...FAST, shops: [SHOP], versionKey: 'pay.example', version: '2.3' });
    try {
      const { id } = await call(gw, 'payment', payment({ statusURL: rx.url, memo: 'Пополнение / тест' }));
      await until(() => gw.callbacks().some((c) => c.status === 200), 'a delivered IPN');
      const log = gw.callbacks();
      assert.deepEqual(log.map((c) => [c.status, c.attempt]), [[500, 1], [200, 2]]);
      assert.equal(rx.hits.length, 2);
      assert.equal(rx.hits[1].raw, log[1].body);
      const body = parsePhpJson(log[1].body);
      assert.equal(body['pay.example'], '2.3');
      assert.equal(body.shopID, 522n);
      assert.equal(body.id, BigInt(id));
      assert.equal(body.status, 3n);
      assert.equal(body.amount, '1000.00');
      assert.equal(body.memo, 'Пополнение / тест');
      assert.equal(body.sign, phpSign(body, SHOP.secretKey));
      assert.notEqual(body.sign, phpSign(body, SHOP.apiKey));
      const http = await (await fetch(gw.origin + '/__sandbox/callbacks')).json();
      assert.equal(http.length, 2);
    } finally {
      await gw.close();
      await rx.close();
    }
  });

  test('IPN: a redirect is not a 200, so it is retried and never followed', async () => {
    const target = await receiver([200]);
    const hops = [];
    const redirector = createServer((req, res) => {
      hops.push(req.method);
      req.resume().on('end', () => res.writeHead(302, { location: target.url }).end());
    });
    await new Promise((r) => redirector.listen(0, '127.0.0.1', r));
    const gw = await startGateway({ ...FAST, shops: [SHOP], callbackMaxAttempts: 2 });
    try {
      await call(gw, 'payment', payment({ statusURL: `http://127.0.0.1:${redirector.address().port}/ipn`, amount: 444 }));
      await until(() => gw.callbacks().length === 2, 'two attempts');
      assert.deepEqual(gw.callbacks().map((c) => [c.status, c.attempt]), [[302, 1], [302, 2]]);
      assert.deepEqual(hops, ['POST', 'POST']);
      assert.equal(target.hits.length, 0);
    } finally {
      await gw.close();
      await new Promise((r) => { redirector.close(r); redirector.closeAllConnections(); });
      await target.close();
    }
  });

  test('IPN gives up after callbackMaxAttempts', async () => {
    const rx = await receiver([503]);
    const gw = await startGateway({ ...FAST, shops: [SHOP], callbackMaxAttempts: 3 });
    try {
      await call(gw, 'withdraw', withdraw({ statusURL: rx.url }));
      await until(() => gw.callbacks().length === 3, 'three attempts');
      await new Promise((r) => setTimeout(r, 80));
      assert.equal(gw.callbacks().length, 3);
    } finally {
      await gw.close();
      await rx.close();
    }
  });

  test('rate_limit, out_limit_exceeded, invalid_hash, no_cards, shop statusURL', async () => {
    const gw = await startGateway({
      ...FAST,
      rateLimitPerSecond: 5,
      shops: [
        { ...SHOP, dailyLimit: { 83: 1500 }, noCards: [86], statusURL: 'http://127.0.0.1:9/cabinet' },
        { shopID: 777, apiKey: 'ro-key', secretKey: 'ro-secret', canWithdraw: false },
      ],
    });
    try {
      assert.equal((await call(gw, 'withdraw', withdraw())).error, undefined);
      assert.equal((await call(gw, 'withdraw', withdraw({ amount: 600 }))).error, 'out_limit_exceeded');
      assert.equal((await call(gw, 'payment', payment())).error, 'no_cards');
      const p = payment({ currID: 88 });
      delete p.statusURL;
      assert.equal((await call(gw, 'payment', p)).error, undefined, 'the shop statusURL stands in');
      assert.equal((await call(gw, 'withdraw', withdraw({ shopID: 777 }), { key: 'ro-key' })).error, 'invalid_hash');
      const burst = await Promise.all(Array.from({ length: 6 }, () => call(gw, 'balance_all', { shopID: 522 })));
      assert.ok(burst.some((r) => r.error === 'rate_limit'));
    } finally {
      await gw.close();
    }
  });
});
