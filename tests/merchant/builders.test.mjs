// The build* functions of the built package: the exact signed bytes, checked with the
// sandbox's own PHP-exact signer (independent of the SDK); every invalid input refused with
// the field and rule named, and nothing sent (the client's fetch is never called, the
// sandbox records no operation).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parsePhpJson, phpSign } from '../../www-demo/sandbox/php-sign.mjs';
import { IPN_SINK, SHOP, client, gateway, rejection, sdk, uniq } from './helpers.mjs';

const { ValidationError } = sdk;
const CONFIG = { baseUrl: 'https://mychanger.icu/api2/', shopId: 522, apiKey: 'KKKeeey' };

/** The request's body as PHP decodes it, and whether its sign is what PHP computes. */
function decoded(request, key = CONFIG.apiKey) {
  const data = parsePhpJson(request.body);
  const { sign, ...rest } = data;
  assert.equal(sign, phpSign(rest, key), 'the sandbox\'s PHP-exact signer agrees');
  return data;
}

describe('builders produce the exact signed request', () => {
  test('the seed\'s payment example', () => {
    const request = sdk.buildPayment(CONFIG, {
      uniqID: '544545dg-dgd1445-7777', currID: 6, amount: 500.52, label: '123133-44465451', userID: '17800111',
      userInfo: {
        ip: '192.168.0.1',
        ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.4 Safari/605.1.15',
        email: 'user@example.com', phone: '+78005553535', name: 'Test', surname: 'Testov', patronymic: 'Testovich',
      },
      memo: 'Пополнение средств', statusURL: 'https://your_url', period: 10,
    });
    assert.deepEqual(Object.keys(request), ['url', 'method', 'headers', 'body']);
    assert.equal(request.url, 'https://mychanger.icu/api2/payment');
    assert.equal(request.method, 'POST');
    assert.deepEqual(request.headers, { 'content-type': 'application/json' });
    const data = decoded(request);
    assert.equal(data.shopID, 522n);
    assert.equal(data.amount, 500.52);
    assert.equal(data.period, 10n);
    assert.equal(data.userInfo.surname, 'Testov');
    assert.ok(request.body.startsWith('{"shopID":522,"uniqID":"544545dg-dgd1445-7777","currID":6,"amount":500.52,'));
  });

  test('every endpoint: its URL, shopID first, sign last, values as given', () => {
    const cases = [
      ['buildPayment', 'payment', { uniqID: 'u1', currID: 86, amount: '100.00' }],
      ['buildWithdraw', 'withdraw', { uniqID: 'u2', currID: 93, amount: 600, number: '+79063711045', info: 'QIWIBANK' }],
      ['buildWithdrawCheck', 'withdraw/check', { id: 531636 }],
      ['buildAcquire', 'acquire', { uniqID: 'u3', currID: 109, amount: 500.52, from: { card: '4111111111111111', month: '09', year: '2029', cvv: '012' } }],
      ['buildAcquireConfirm', 'acquire/confirm', { id: '1033039', code: '470179', time: 1720206230 }],
      ['buildAcquireResend', 'acquire/resend', { id: '1033039', time: 1720206230 }],
      ['buildStatus', 'status', { id: 1033039 }],
      ['buildBalance', 'balance', undefined],
      ['buildBalanceAll', 'balance_all', undefined],
      ['buildWithdrawLimit', 'withdraw/limit', undefined],
      ['buildDispute', 'dispute', { id: 14736918, amount: '200.00', comment: 'оплачено позже' }],
      ['buildDisputeStatus', 'dispute/status', { id: 5237 }],
      ['buildEcho', 'echo', { param2: 2, param1: 1 }],
    ];
    for (const [fn, path, params] of cases) {
      const request = params === undefined ? sdk[fn](CONFIG) : sdk[fn](CONFIG, params);
      assert.equal(request.url, `https://mychanger.icu/api2/${path}`, fn);
      const body = JSON.parse(request.body);
      assert.deepEqual(Object.keys(body), ['shopID', ...Object.keys(params ?? {}), 'sign'], fn);
      assert.deepEqual({ ...body, shopID: undefined, sign: undefined }, { ...params, shopID: undefined, sign: undefined }, fn);
      decoded(request);
    }
  });

  test('the amount string is sent as given; acquire/confirm and resend get the time', () => {
    assert.match(sdk.buildPayment(CONFIG, { uniqID: 'u', currID: 86, amount: '100.00' }).body, /"amount":"100.00"/);
    const before = Math.floor(Date.now() / 1000);
    for (const fn of ['buildAcquireConfirm', 'buildAcquireResend']) {
      const { time } = decoded(sdk[fn](CONFIG, { id: 7, code: '1234' }));
      assert.ok(time >= BigInt(before) && time <= BigInt(before + 2), `${fn}: ${time}`);
    }
  });

  test('unknown fields are sent and signed unchanged; free text may hold spaces', () => {
    const request = sdk.buildWithdraw(CONFIG, {
      uniqID: 'u', currID: 83, amount: 1, number: '4111111111111111', info: 'Сидоров Джон',
      memo: 'Отправка средств', bankCode: 'SBER', extra: { nested: 'with spaces inside', list: [1, 2] },
    });
    const data = decoded(request);
    assert.equal(data.bankCode, 'SBER');
    assert.equal(data.extra.nested, 'with spaces inside');
    assert.deepEqual([...data.extra.list], [1n, 2n]);
  });

  test('baseUrl: a bare origin gets /api2/, a missing trailing slash is added', () => {
    assert.equal(sdk.buildBalanceAll({ ...CONFIG, baseUrl: 'https://mychanger.icu' }).url, 'https://mychanger.icu/api2/balance_all');
    assert.equal(sdk.buildBalanceAll({ ...CONFIG, baseUrl: 'http://127.0.0.1:8082/gw/api2' }).url, 'http://127.0.0.1:8082/gw/api2/balance_all');
  });

  test('a backend can send the built request with its own HTTP stack', async () => {
    const gw = await gateway();
    try {
      const config = { baseUrl: gw.url, shopId: SHOP.shopID, apiKey: SHOP.apiKey };
      const request = sdk.buildPayment(config, { uniqID: uniq(), currID: 86, amount: 1000, statusURL: IPN_SINK });
      const answer = await (await fetch(request.url, request)).json();
      assert.equal(answer.error, undefined, JSON.stringify(answer));
      assert.equal(gw.operations().length, 1);
    } finally {
      await gw.close();
    }
  });
});

describe('invalid input is refused with every field named, and nothing is sent', () => {
  let gw;
  before(async () => {
    gw = await gateway();
  });
  after(() => gw.close());

  const card = { card: '4111111111111111', month: '09', year: '2029', cvv: 123 };
  const pay = (extra) => ({ uniqID: uniq(), currID: 86, amount: 100, statusURL: IPN_SINK, ...extra });
  const out = (extra) => ({ uniqID: uniq(), currID: 83, amount: 100, number: '4111111111111111', statusURL: IPN_SINK, ...extra });
  const ecom = (extra) => ({ uniqID: uniq(), currID: 109, amount: 100, statusURL: IPN_SINK, from: card, ...extra });
  // [client method, params, the fields that must be named, a word of the rule]
  const CASES = [
    ['payment', pay({ uniqID: 'has space' }), ['uniqID'], /space/],
    ['payment', pay({ currID: '86 ' }), ['currID'], /positive whole number/],
    ['payment', pay({ currID: 0 }), ['currID'], /positive whole number/],
    ['payment', pay({ amount: '1 000' }), ['amount'], /positive finite number/],
    ['payment', pay({ amount: -5 }), ['amount'], /positive finite number/],
    ['payment', pay({ amount: 0 }), ['amount'], /positive finite number/],
    ['payment', pay({ amount: NaN }), ['amount'], /finite number/],
    ['payment', pay({ amount: Infinity }), ['amount'], /finite number/],
    ['payment', pay({ amount: 'abc' }), ['amount'], /positive finite number/],
    ['payment', pay({ amount: undefined }), ['amount'], /required/],
    ['payment', pay({ uniqID: '' }), ['uniqID'], /empty/],
    ['payment', pay({ statusURL: 'your_url' }), ['statusURL'], /absolute http\(s\) URL/],
    ['payment', pay({ statusURL: 'ftp://host/ipn' }), ['statusURL'], /absolute http\(s\) URL/],
    ['payment', pay({ period: 0 }), ['period'], /positive whole number/],
    ['payment', pay({ period: 1.5 }), ['period'], /positive whole number/],
    ['payment', pay({ period: '10' }), ['period'], /positive whole number/],
    ['payment', pay({ label: 'two words' }), ['label'], /space/],
    ['payment', pay({ userInfo: { phone: '+7900555', email: 'a b@c.d' } }), ['userInfo.email', 'userInfo.phone'], /./],
    ['payment', pay({ uniqId: 'typo' }), ['uniqId'], /did you mean uniqID/],
    ['payment', pay({ shopID: 1 }), ['shopID'], /shopId/],
    ['payment', pay({ sign: 'abc' }), ['sign'], /computed by the SDK/],
    ['payment', pay({ custom: 'a b' }), ['custom'], /space/],
    ['payment', { currID: 86 }, ['uniqID', 'amount'], /required/],
    // The seed: "Параметр prefer для определенных направлений (сейчас для UZS) может являться обязательным".
    ['payment', pay({ currID: 184 }), ['prefer'], /UZS/],
    ['payment', pay({ currID: '11' }), ['prefer'], /UZS/],
    ['withdraw', out({ number: '4111 1111 1111 1111' }), ['number'], /16 digits/],
    ['withdraw', out({ number: '4111111111111112' }), ['number'], /Luhn/],
    ['withdraw', out({ number: '411111111111111' }), ['number'], /16 digits/],
    ['withdraw', out({ currID: 93, number: '+790637110' }), ['number'], /10 to 15 digits/],
    ['withdraw', out({ currID: 93, number: '4111111111111111x' }), ['number'], /phone/],
    ['withdraw', out({ currID: 192, number: '4081781009991000431' }), ['number'], /20-digit/],
    ['withdraw', out({ currID: 89, number: 'op id' }), ['number'], /operation id/],
    ['withdraw', out({ currID: 6, number: 'two words' }), ['number'], /space/],
    ['withdraw', out({ number: undefined }), ['number'], /required/],
    ['acquire', ecom({ from: { ...card, card: '2202112381841356' } }), ['from.card'], /Luhn/],
    ['acquire', ecom({ from: { ...card, card: '4111 1111 1111 1111' } }), ['from.card'], /16 digits/],
    ['acquire', ecom({ from: { card: '4111111111111111', month: '13', year: '29', cvv: 12 } }), ['from.month', 'from.year', 'from.cvv'], /./],
    ['acquire', ecom({ from: { card: '4111111111111111' } }), ['from.month', 'from.year', 'from.cvv'], /required/],
    // The seed's from.month is "09": a number below 10 reaches the gateway as 9, which it refuses.
    ['acquire', ecom({ from: { ...card, month: 9 } }), ['from.month'], /leading zero/],
    // Every 16-digit card (the rule of from.card) has a 3-digit CVV, as the seed's 123.
    ['acquire', ecom({ from: { ...card, cvv: '1234' } }), ['from.cvv'], /3 digits/],
    ['acquire', ecom({ from: { ...card, cvv: 1234 } }), ['from.cvv'], /3 digits/],
    ['acquire', ecom({ from: 'card' }), ['from'], /object/],
    ['acquire', ecom({ from: undefined }), ['from'], /required/],
    ['withdrawCheck', { id: '12 3' }, ['id'], /positive whole number/],
    ['acquireConfirm', { id: 1, code: '47 01' }, ['code'], /digits/],
    ['acquireResend', { id: -1 }, ['id'], /positive whole number/],
    ['status', {}, ['id'], /or uniqID/],
    ['status', { uniqID: 'a b' }, ['uniqID'], /space/],
    ['dispute', { id: 1, amount: '1,5', disputeURL: 'x' }, ['amount', 'disputeURL'], /./],
    ['disputeStatus', { id: 'abc' }, ['id'], /positive whole number/],
    ['echo', { key: SHOP.apiKey }, ['key'], /API key/],
  ];

  test('each case: ValidationError naming the fields; fetch never called; no operation', async () => {
    const c = client(gw);
    const builders = {
      payment: 'buildPayment', withdraw: 'buildWithdraw', acquire: 'buildAcquire', withdrawCheck: 'buildWithdrawCheck',
      acquireConfirm: 'buildAcquireConfirm', acquireResend: 'buildAcquireResend', status: 'buildStatus', dispute: 'buildDispute',
      disputeStatus: 'buildDisputeStatus', echo: 'buildEcho',
    };
    const config = { baseUrl: gw.url, shopId: SHOP.shopID, apiKey: SHOP.apiKey };
    for (const [method, params, fields, rule] of CASES) {
      const what = `${method} ${JSON.stringify(params)}`;
      const check = (err) => {
        assert.ok(err instanceof ValidationError, `${what}: ${err && err.stack}`);
        assert.deepEqual(err.issues.map((i) => i.field), fields, what);
        assert.ok(err.issues.some((i) => rule.test(i.rule)), `${what}: ${JSON.stringify(err.issues)}`);
        for (const field of fields) assert.ok(err.message.includes(`${field}: `), err.message);
        assert.ok(!err.message.includes(SHOP.apiKey), 'no key in the message');
        return true;
      };
      assert.throws(() => sdk[builders[method]](config, params), check);
      check(await rejection(c[method](params)));
    }
    assert.equal(c.recorder.calls.length, 0, 'the client sent nothing');
    assert.equal(gw.operations().length, 0, 'the gateway saw no operation');
  });

  // Sent past the builders (signed by hand), the gateway refuses what they refuse: the
  // caller learns it before anything is sent, with the field and the rule named.
  test('the sandbox answers param_wrong for a UZS deposit without prefer, month 9, a 4-digit cvv', async () => {
    const own = await gateway();
    const send = async (path, params) => {
      const data = { shopID: SHOP.shopID, ...params };
      const body = JSON.stringify({ ...data, sign: sdk.sign(data, SHOP.apiKey) });
      const answer = await fetch(`${own.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return answer.json();
    };
    try {
      for (const [path, params] of [
        ['payment', pay({ currID: 184 })],
        ['acquire', ecom({ from: { ...card, month: 9 } })],
        ['acquire', ecom({ from: { ...card, cvv: 1234 } })],
      ]) {
        assert.equal((await send(path, params)).error, 'param_wrong', JSON.stringify(params));
      }
      assert.equal((await send('payment', pay({ currID: 184, prefer: 'humo' }))).error, undefined, 'with prefer it is created');
    } finally {
      await own.close();
    }
  });

  test('a valid request on the same client does go out (the recorder works)', async () => {
    const c = client(gw);
    await c.payment(pay({ memo: 'Пополнение средств', userInfo: { ua: 'Mozilla/5.0 (X11; Linux x86_64)', name: 'Иван Петрович' } }));
    assert.equal(c.recorder.calls.length, 1);
    assert.equal(gw.operations().length, 1);
  });

  test('bad config and arguments', () => {
    assert.throws(() => sdk.buildStatus({ ...CONFIG, shopId: '5 22' }, { id: 1 }), (e) => e instanceof ValidationError && e.issues[0].field === 'shopId');
    assert.throws(() => sdk.buildStatus({ ...CONFIG, baseUrl: 'https://user:pw@h/api2/' }, { id: 1 }), (e) => e.issues[0].field === 'baseUrl');
    assert.throws(() => sdk.buildStatus(null, { id: 1 }), TypeError);
    assert.throws(() => sdk.buildStatus(CONFIG, 'id=1'), (e) => e instanceof ValidationError && e.issues[0].field === 'params');
    assert.throws(() => sdk.buildStatus(CONFIG, [1]), (e) => e instanceof ValidationError && e.issues[0].field === 'params');
  });
});
