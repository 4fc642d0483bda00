// MerchantClient from the built package against the api2 sandbox over real HTTP on 127.0.0.1:
// every method, every documented error code as a typed MerchantError, retries of reads and
// creates, the recovery of a create whose answer was lost, timeouts, aborts, callbacks.
//
//   node --test tests/merchant/        (after node scripts/build.mjs)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { IPN_SINK, HERE, SHOP, client, gateway, receiver, rejection, sdk, uniq, until } from './helpers.mjs';
import { serve } from '../exchanger/helpers.mjs';

const { MerchantClient, MerchantError, TransportError, ValidationError, CallbackError, ObmennikError, isFinal } = sdk;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const payment = (extra = {}) => ({ uniqID: uniq('pay'), currID: 86, amount: 1000, statusURL: IPN_SINK, ...extra });
const withdraw = (extra = {}) => ({
  uniqID: uniq('out'), currID: 83, amount: 150, number: '4111111111111111', info: 'Сидоров Джон', statusURL: IPN_SINK, ...extra,
});
const acquire = (extra = {}) => ({
  uniqID: uniq('ecom'), currID: 109, amount: 1500, statusURL: IPN_SINK,
  from: { card: '2200000000000004', month: '09', year: '2029', cvv: 123 }, ...extra,
});

/** Every code of the seed's error table, with the retryable flag the SDK documents. */
const SEED_ERRORS = {
  param_wrong: false, data_wrong: false, shopID_wrong: false, sign_wrong: false, currID_wrong: false,
  amount_small: false, amount_big: false, statusURL_wrong: false, uniqID_empty: false, no_attach_acc: false,
  wrong_psys: false, no_cards: true, all_cards_busy: true, no_phonenumbers: true, all_phonenumbers_busy: true,
  invalid_hash: false, general_decline: false, rate_limit: true, 'Total amount per day limit': true,
  no_operators: false, number_format_wrong: false, number_wrong: false, out_limit_exceeded: true,
  low_balance: true, low_bal02: false, low_bal03: false, uniqID_used2: false, id_empty: false, id_wrong: false,
};

function assertMerchantError(err, code, what) {
  assert.ok(err instanceof MerchantError, `${what}: expected MerchantError, got ${err && err.stack}`);
  assert.ok(err instanceof ObmennikError);
  assert.equal(err.name, 'MerchantError');
  assert.equal(err.code, code, what);
  assert.equal(err.retryable, SEED_ERRORS[code], `${what}: retryable`);
  assert.match(err.description, /^[A-Z][\x20-\x7e→]+\.$/, `${what}: an English description`);
  assert.ok(err.message.startsWith(`${code}: ${err.description}`), err.message);
  for (const secret of [SHOP.apiKey, SHOP.secretKey]) {
    assert.ok(!JSON.stringify({ ...err, message: err.message }).includes(secret), `${what}: no secret in the error`);
  }
}

describe('every method against the sandbox', () => {
  let gw;
  let c;
  before(async () => {
    gw = await gateway();
    c = client(gw);
  });
  after(() => gw.close());

  test('payment, then status by id and by uniqID until final', async () => {
    const params = payment({ amount: 500.52, memo: 'Пополнение средств', label: '123133-44465451',
      userID: '17800111', userInfo: { ip: '192.168.0.1', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', name: 'Test' } });
    const res = await c.payment(params);
    assert.equal(res.recovered, undefined);
    assert.deepEqual(Object.keys(res), ['id', 'currID', 'curr', 'amount', 'number', 'info', 'page', 'card', 'fio']);
    assert.equal(res.amount, 500.52);
    assert.match(res.number, /^\d{16}$/);
    const op = gw.operations().find((o) => o.uniqID === params.uniqID);
    assert.equal(op.id, res.id);
    assert.equal(op.memo, 'Пополнение средств');
    const final = await until(async () => {
      const s = await c.status({ id: res.id });
      return isFinal('payment', s.status) && s;
    }, 'a final status');
    assert.deepEqual(final, {
      type: 'payment', id: res.id, currID: 86, curr: 'RUB', amount: '500.52', label: '123133-44465451',
      memo: 'Пополнение средств', status: 3, statusText: 'Approved', info: '',
    });
    assert.deepEqual(await c.status({ uniqID: params.uniqID }), final);
  });

  test('an SBP payment carries tel, bank, bankTitle and paymentLink', async () => {
    const res = await c.payment(payment({ currID: 88 }));
    assert.match(res.tel, /^\+79\d{9}$/);
    assert.equal(res.bankTitle, 'Сбербанк');
    assert.ok(res.paymentLink.startsWith(res.page));
  });

  test('withdraw, then withdrawCheck returns the receipt decoded', async () => {
    // 777 holds the payout until the test approves it: on a loaded machine a timed approval
    // could come before the first withdrawCheck.
    const res = await c.withdraw(withdraw({ amount: 777 }));
    assert.deepEqual({ ...res, id: 0 }, { id: 0, currID: 83, curr: 'RUB', amount: 777, number: '4111111111111111', info: 'Сидоров Джон' });
    assertMerchantError(await rejection(c.withdrawCheck({ id: res.id })), 'id_wrong', 'receipt before approval');
    gw.setStatus(res.id, 3);
    assert.equal(isFinal('withdraw', (await c.status({ id: res.id })).status), true);
    const receipt = await c.withdrawCheck({ id: String(res.id) });
    assert.deepEqual(Object.keys(receipt), ['type', 'bytes']);
    assert.equal(receipt.type, 'png');
    assert.ok(receipt.bytes instanceof Uint8Array);
    assert.deepEqual([...receipt.bytes.subarray(0, 8)], PNG_MAGIC);
    assert.equal(Buffer.from(receipt.bytes).readUInt32BE(16), 64, 'IHDR width of the sandbox receipt');
  });

  test('acquire, acquireConfirm with a wrong code, acquireResend, the right code, completion', async () => {
    const res = await c.acquire(acquire());
    assert.deepEqual({ ...res, id: 0 }, { id: 0, currID: 109, curr: 'RUB', amount: 1500, code_required: true });
    const status = async () => (await c.status({ id: res.id })).status;
    await until(async () => (await status()) === 4, 'waiting for the code');
    assert.equal(isFinal('acquire', 4), false);
    let answer = await c.acquireConfirm({ id: res.id, code: '000000' });
    assert.equal(answer.status, 7);
    await until(async () => (await status()) === 8, 'wrong code');
    answer = await c.acquireResend({ id: String(res.id) });
    assert.equal(answer.statusText, 'Waiting for code');
    answer = await c.acquireConfirm({ id: res.id, code: '470179', time: Math.floor(Date.now() / 1000) });
    assert.equal(answer.statusText, 'Code received');
    await until(async () => isFinal('acquire', await status()), 'completion');
    assert.equal(await status(), 11);
  });

  test('balance (deprecated), balanceAll and withdrawLimit', async () => {
    const still = await gateway({ tickMs: 3_600_000 });
    try {
      const sc = client(still);
      const all = await sc.balanceAll();
      assert.equal(all.RUB, 314021);
      const byDirection = await sc.balance();
      assert.equal(byDirection['83'], '314021.00');
      await sc.withdraw(withdraw({ amount: 1234.5 }));
      assert.equal((await sc.balanceAll()).RUB, 314021 - 1234.5);
      const limits = await sc.withdrawLimit();
      assert.deepEqual(Object.keys(limits), ['daily', 'value']);
      assert.equal(limits.daily['83'], '6000000.00');
      assert.equal(limits.value['83'], (314021 - 1234.5).toFixed(2));
      assert.deepEqual(sc.recorder.paths(), ['balance_all', 'balance', 'withdraw', 'balance_all', 'withdraw/limit']);
    } finally {
      await still.close();
    }
  });

  test('dispute and disputeStatus; the operation follows the dispute', async () => {
    const { id } = await c.payment(payment({ amount: 444, label: 'vasya' }));
    await until(async () => (await c.status({ id })).status === 4, 'expiry');
    assert.equal(isFinal('payment', 4), false, 'an expired deposit can still be paid');
    const disputeId = await c.dispute({ id, amount: 500, comment: 'оплачено позже' });
    assert.equal(typeof disputeId, 'number');
    const first = await c.disputeStatus({ id: disputeId });
    assert.deepEqual(first, {
      id: disputeId, amount: '500.00', comment: 'оплачено позже', currID: 86, curr: 'RUB', status: 1,
      statusText: 'Waiting', operationID: id, operationAmount: '444.00', operationLabel: 'vasya', operationStatus: 4,
    });
    await until(async () => (await c.disputeStatus({ id: disputeId })).status === 3, 'dispute approval');
    const op = await c.status({ id });
    assert.deepEqual([op.status, op.amount, isFinal('payment', op.status)], [3, '500.00', true]);
  });

  test('echo shows what the gateway received: every parameter, shopID and sign', async () => {
    const res = await c.echo({ param2: 2, param1: '1', note: 'free text', key: 'KKKeeey' });
    assert.equal(res.payload.shopID, 522);
    assert.equal(res.payload.note, 'free text');
    assert.match(res.payload.sign, /^[0-9a-f]{40}$/);
    // The sandbox signs the payload without `key` and `sign` with the given test key.
    assert.equal(res.tosign, 'free text:1:2:522:KKKeeey');
    assert.deepEqual(Object.keys(await c.echo({})), ['payload']);
  });
});

describe('every documented error reaches the caller as a typed MerchantError', () => {
  let gw;
  before(async () => {
    gw = await gateway({
      shops: [
        { ...SHOP, dailyLimit: { 83: 1500 }, noCards: [86, 88], balances: { RUB: 314021 } },
        { shopID: 777, apiKey: 'read-only-key-5d2e', secretKey: 'read-only-secret', canWithdraw: false },
      ],
    });
  });
  after(() => gw.close());

  test('the typings list exactly the seed\'s codes', () => {
    const dts = readFileSync(join(HERE, '..', '..', 'pkg', 'obmennik.d.ts'), 'utf8');
    const union = /export type MerchantErrorCode =([^;]*);/.exec(dts.replace(/\/\*\*[\s\S]*?\*\//g, ''))[1];
    const codes = [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual(codes, Object.keys(SEED_ERRORS));
  });

  test('codes the sandbox produces from its rules', async () => {
    const c = client(gw, { maxRetries: 0 });
    const cases = [
      ['sign_wrong', () => client(gw, { apiKey: 'not-the-key', maxRetries: 0 }).balanceAll()],
      ['shopID_wrong', () => client(gw, { shopId: 1, maxRetries: 0 }).balanceAll()],
      // A code for an e-com deposit not waiting for one (amount 777 stays at 0 Created); a UZS
      // deposit without `prefer`, the other param_wrong, is a ValidationError now.
      ['param_wrong', async () => c.acquireConfirm({ id: (await c.acquire(acquire({ amount: 777 }))).id, code: '470179' })],
      ['currID_wrong', () => c.payment(payment({ currID: 6 }))], // the seed's example id, not in its table
      ['amount_small', () => c.payment(payment({ amount: 99.99, currID: 10 }))],
      ['amount_big', () => c.payment(payment({ amount: '500000.01', currID: 10 }))],
      ['statusURL_wrong', () => c.payment(payment({ currID: 10, statusURL: undefined }))],
      ['no_cards', () => c.payment(payment())],
      ['no_phonenumbers', () => c.payment(payment({ currID: 88 }))],
      ['invalid_hash', () => client(gw, { shopId: 777, apiKey: 'read-only-key-5d2e', maxRetries: 0 }).withdraw(withdraw())],
      ['low_balance', () => c.withdraw(withdraw({ currID: 93, number: '+79063711045', amount: 400000 }))],
      ['out_limit_exceeded', () => c.withdraw(withdraw({ amount: 1501 }))],
      ['id_wrong', () => c.status({ id: 1 })],
      ['id_wrong', () => c.disputeStatus({ id: 1 })],
    ];
    for (const [code, call] of cases) assertMerchantError(await rejection(call()), code, code);
    const params = payment({ currID: 10 });
    await c.payment(params);
    assertMerchantError(await rejection(c.payment(params)), 'uniqID_empty', 'a deposit uniqID used before');
    const out = withdraw({ currID: 93, number: '+79063711045' });
    await c.withdraw(out);
    assertMerchantError(await rejection(c.withdraw(out)), 'uniqID_used2', 'a payout uniqID used before');
  });

  test('rate_limit above the gateway\'s rate, once the retries are spent', async () => {
    const limited = await gateway({ rateLimitPerSecond: 2 });
    try {
      const c = client(limited, { maxRetries: 0 });
      const burst = await Promise.allSettled(Array.from({ length: 5 }, () => c.balanceAll()));
      const refused = burst.filter((r) => r.status === 'rejected');
      assert.equal(refused.length, 3);
      for (const r of refused) assertMerchantError(r.reason, 'rate_limit', 'burst');
      // With retries the backoff waits the window out.
      await new Promise((r) => setTimeout(r, 1000));
      const patient = client(limited, { maxRetries: 5 });
      const all = await Promise.all(Array.from({ length: 4 }, () => patient.balanceAll()));
      assert.equal(all.length, 4);
      assert.ok(patient.recorder.calls.length > 4, 'some were retried');
    } finally {
      await limited.close();
    }
  });

  test('codes whose causes the sandbox cannot model, injected as the gateway answers them', async () => {
    const quiet = await gateway();
    try {
      const c = client(quiet, { maxRetries: 0 });
      for (const code of Object.keys(SEED_ERRORS)) {
        quiet.failNext({ path: 'payment', mode: 'error', code, info: `причина: ${code}` });
        const err = await rejection(c.payment(payment()));
        assertMerchantError(err, code, code);
        assert.equal(err.info, `причина: ${code}`);
        assert.ok(err.message.endsWith(`Gateway info: причина: ${code}`), err.message);
      }
      assert.equal(quiet.operations().length, 0, 'the injected errors created nothing');
    } finally {
      await quiet.close();
    }
  });
});

describe('retries', () => {
  let gw;
  before(async () => {
    gw = await gateway();
  });
  after(() => gw.close());

  test('reads retry on HTTP 500 and non-JSON answers, then succeed', async () => {
    const c = client(gw);
    gw.failNext({ path: 'balance_all', mode: 'http500' });
    gw.failNext({ path: 'balance_all', mode: 'non-json' });
    assert.equal(typeof (await c.balanceAll()).RUB, 'number');
    assert.deepEqual(c.recorder.paths(), ['balance_all', 'balance_all', 'balance_all']);
  });

  test('every call retries rate_limit, actions included', async () => {
    const c = client(gw);
    const { id } = await c.payment(payment({ amount: 777 }));
    gw.failNext({ path: 'dispute', mode: 'error', code: 'rate_limit' });
    assert.equal(typeof (await c.dispute({ id, amount: 777 })), 'number');
    assert.deepEqual(c.recorder.paths(), ['payment', 'dispute', 'dispute']);
  });

  test('actions are not retried after a failure that may have carried them out', async () => {
    const c = client(gw);
    const { id } = await c.payment(payment({ amount: 777 }));
    gw.failNext({ path: 'dispute', mode: 'http500', commit: true });
    const err = await rejection(c.dispute({ id, amount: 777 }));
    assert.ok(err instanceof TransportError);
    assert.equal(c.recorder.paths().filter((p) => p === 'dispute').length, 1);
    assert.equal(gw.operations().filter((o) => o.kind === 'dispute' && o.operationID === id).length, 1);
  });

  test('a gateway error other than rate_limit is not retried', async () => {
    const c = client(gw);
    assertMerchantError(await rejection(c.status({ id: 42 })), 'id_wrong', 'id_wrong');
    assert.equal(c.recorder.calls.length, 1);
  });

  test('retries run out: TransportError with the status and a secret-free excerpt', async () => {
    const c = client(gw, { maxRetries: 1 });
    gw.failNext({ path: 'withdraw/limit', mode: 'http500', count: 2 });
    const err = await rejection(c.withdrawLimit());
    assert.ok(err instanceof TransportError);
    assert.deepEqual([err.kind, err.status, err.retryable], ['http_status', 500, true]);
    assert.match(err.bodyExcerpt, /^<html><head><title>500 Internal Server Error/);
    assert.equal(c.recorder.calls.length, 2);
    gw.failNext({ path: 'withdraw/limit', mode: 'non-json', count: 2 });
    const notJson = await rejection(c.withdrawLimit());
    assert.deepEqual([notJson.kind, notJson.status], ['not_json', 200]);
    assert.match(notJson.bodyExcerpt, /Технические работы/);
  });

  test('timeouts: per client and per call; aborts are not retried', async () => {
    const c = client(gw, { timeoutMs: 100, maxRetries: 0 });
    gw.failNext({ path: 'balance_all', mode: 'slow', delayMs: 600 });
    const slow = await rejection(c.balanceAll());
    assert.deepEqual([slow.kind, slow.retryable], ['timeout', true]);
    gw.failNext({ path: 'balance_all', mode: 'slow', delayMs: 300 });
    assert.equal(typeof (await c.balanceAll({ timeoutMs: 2000 })).RUB, 'number', 'a per-call timeoutMs overrides');
    const patient = client(gw);
    gw.failNext({ path: 'balance_all', mode: 'slow', delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const aborted = await rejection(patient.balanceAll({ signal: controller.signal }));
    assert.deepEqual([aborted.kind, aborted.retryable], ['aborted', false]);
    assert.equal(patient.recorder.calls.length, 1);
    const already = await rejection(patient.status({ id: 1 }, { signal: AbortSignal.abort() }));
    assert.equal(already.kind, 'aborted');
    assert.equal(patient.recorder.calls.length, 1, 'an aborted signal sends nothing');
  });

  test('a network failure is a TransportError of kind network', async () => {
    const c = new MerchantClient({ baseUrl: 'http://127.0.0.1:9/api2/', shopId: 522, apiKey: SHOP.apiKey, maxRetries: 1 });
    const err = await rejection(c.balanceAll());
    assert.ok(err instanceof TransportError);
    assert.equal(err.kind, 'network');
    assert.ok(!err.message.includes(SHOP.apiKey));
  });
});

describe('creates are retried safely: never two operations', () => {
  let gw;
  before(async () => {
    gw = await gateway({ tickMs: 3_600_000 });
  });
  after(() => gw.close());
  const ofUniq = (uniqID) => gw.operations().filter((o) => o.uniqID === uniqID);

  // The retry is answered uniqID_empty (deposits) or uniqID_used2 (payouts): resolved, never thrown.
  for (const [method, make] of [['payment', payment], ['withdraw', withdraw], ['acquire', acquire]]) {
    test(`${method}: the answer is dropped after the commit; the retry is resolved with status`, async () => {
      const c = client(gw);
      const params = make();
      gw.failNext({ path: method, mode: 'drop-after-commit' });
      const res = await c[method](params);
      const ops = ofUniq(params.uniqID);
      assert.equal(ops.length, 1, 'exactly one operation');
      assert.equal(res.recovered, true);
      assert.equal(res.id, ops[0].id);
      assert.equal(res.type, method === 'withdraw' ? 'withdraw' : 'payment');
      assert.deepEqual(c.recorder.paths(), [method, method, 'status']);
      const [first, second, lookup] = c.recorder.calls;
      assert.equal(first.body, second.body, 'the retry sends the same bytes: same uniqID, same sign');
      assert.equal(JSON.parse(lookup.body).uniqID, params.uniqID);
    });
  }

  test('HTTP 500 before the commit: the retry creates the operation, a fresh answer', async () => {
    const c = client(gw);
    const params = payment();
    gw.failNext({ path: 'payment', mode: 'http500' });
    const res = await c.payment(params);
    assert.equal(res.recovered, undefined);
    assert.equal(ofUniq(params.uniqID).length, 1);
    assert.match(res.page, /\/pay\//);
  });

  test('HTTP 500 after the commit: recovered', async () => {
    const events = [];
    const c = client(gw, { onRequest: (e) => events.push(e) });
    const params = withdraw();
    gw.failNext({ path: 'withdraw', mode: 'http500', commit: true });
    const res = await c.withdraw(params);
    assert.equal(res.recovered, true);
    assert.equal(ofUniq(params.uniqID).length, 1);
    // What onRequest saw: the 500, the retry that found the uniqID used, the status lookup.
    assert.deepEqual(events.map((e) => [new URL(e.url).pathname, e.attempt, e.status, e.outcome]), [
      ['/api2/withdraw', 1, 500, 'retry'],
      ['/api2/withdraw', 2, 200, 'next'],
      ['/api2/status', 1, 200, 'done'],
    ]);
    assert.ok(events[0].retryInMs > 0 && events.every((e) => e.elapsedMs >= 0 && e.method === 'POST'));
    assert.ok(!JSON.stringify(events).includes(SHOP.apiKey));
  });

  test('a timed-out first attempt that commits late still leaves one operation', async () => {
    const c = client(gw, { timeoutMs: 150 });
    const params = payment();
    gw.failNext({ path: 'payment', mode: 'slow', delayMs: 1000 });
    const res = await c.payment(params);
    await new Promise((r) => setTimeout(r, 1000)); // the slow first attempt is carried out now
    const ops = ofUniq(params.uniqID);
    assert.equal(ops.length, 1);
    assert.equal(res.id, ops[0].id);
  });

  test('a uniqID the caller used before is an error, not a recovery', async () => {
    const c = client(gw);
    const params = payment();
    await c.payment(params);
    assertMerchantError(await rejection(c.payment({ ...params, amount: 2000 })), 'uniqID_empty', 'reuse');
    assert.equal(ofUniq(params.uniqID).length, 1);
  });

  test('retries run out: a TransportError; the same call later finds the operation as documented', async () => {
    const c = client(gw, { maxRetries: 1 });
    const params = payment();
    gw.failNext({ path: 'payment', mode: 'drop-after-commit', count: 2 });
    const err = await rejection(c.payment(params));
    assert.ok(err instanceof TransportError);
    assert.equal(ofUniq(params.uniqID).length, 1);
    const again = await rejection(c.payment(params));
    assertMerchantError(again, 'uniqID_empty', 'the documented way back');
    assert.equal((await c.status({ uniqID: params.uniqID })).id, ofUniq(params.uniqID)[0].id);
  });

  // The seed: a payout's uniqID_empty is "При создании заявки не отправлен ID заявки" (no uniqID
  // was sent), not a duplicate: nothing was created, so there is nothing to read back.
  test('withdraw: uniqID_empty after an uncertain attempt is the gateway\'s error, not a recovery', async () => {
    const c = client(gw, { maxRetries: 1 });
    const params = withdraw();
    gw.failNext({ path: 'withdraw', mode: 'http500' });
    gw.failNext({ path: 'withdraw', mode: 'error', code: 'uniqID_empty', info: 'Не отправлен ID заявки' });
    const err = await rejection(c.withdraw(params));
    assertMerchantError(err, 'uniqID_empty', 'a payout\'s uniqID_empty');
    assert.equal(err.info, 'Не отправлен ID заявки');
    assert.deepEqual(c.recorder.paths(), ['withdraw', 'withdraw']);
  });

  // A deposit and a payout may carry the same uniqID (separate namespaces: uniqID_empty vs
  // uniqID_used2); status by uniqID then finds the deposit. Handing that back as the payout
  // would make the merchant track someone else's money.
  test('a lookup that finds another kind of operation is not returned as the recovered one', async () => {
    const c = client(gw);
    const shared = uniq('order');
    const deposit = await c.payment(payment({ uniqID: shared }));
    gw.failNext({ path: 'withdraw', mode: 'drop-after-commit' });
    const err = await rejection(c.withdraw(withdraw({ uniqID: shared })));
    assertMerchantError(err, 'uniqID_used2', 'a lookup that found the deposit');
    assert.match(err.info, /status by uniqID found a payment .*not this withdraw/);
    const payout = ofUniq(shared).find((o) => o.kind === 'withdraw');
    assert.ok(payout && payout.id !== deposit.id);
    assert.deepEqual(c.recorder.paths(), ['payment', 'withdraw', 'withdraw', 'status']);
  });

  test('the lookup after a duplicate fails: the caller gets the duplicate code and why', async () => {
    const c = client(gw, { maxRetries: 1 });
    const params = payment();
    gw.failNext({ path: 'payment', mode: 'drop-after-commit' });
    gw.failNext({ path: 'status', mode: 'error', code: 'id_empty' });
    const err = await rejection(c.payment(params));
    assertMerchantError(err, 'uniqID_empty', 'lost lookup');
    assert.match(err.info, /An earlier attempt of this call created the operation.*\(id_empty: No operation id was given\.\)/);
    assert.equal(ofUniq(params.uniqID).length, 1);
  });
});

describe('callbacks, options, helpers', () => {
  test('verifyCallback accepts the sandbox\'s IPN (version field named after baseUrl\'s host) and rejects tampering', async () => {
    let c;
    const rx = await receiver((raw) => {
      try {
        const cb = c.verifyCallback(raw);
        return [200, `OK ${cb.type} ${cb.status}`];
      } catch (err) {
        return [400, err instanceof CallbackError ? err.code : String(err)];
      }
    });
    const gw = await gateway();
    try {
      c = client(gw);
      const { id } = await c.payment(payment({ statusURL: rx.url, memo: 'Пополнение / тест' }));
      await until(() => gw.callbacks().some((cb) => cb.status === 200), 'a delivered IPN');
      const delivered = gw.callbacks().find((cb) => cb.status === 200);
      assert.equal(delivered.response, 'OK payment 3');
      const cb = c.verifyCallback(delivered.body);
      assert.deepEqual([cb.id, cb.status, cb['127.0.0.1'], cb.memo], [id, 3, '2.3', 'Пополнение / тест']);
      assert.equal(c.verifyCallback(Buffer.from(delivered.body)).id, id);
      // The sandbox stamps its IPN with the time it sent it, as the gateway does.
      assert.equal(c.verifyCallback(delivered.body, { tolerance: 300 }).id, id);
      const sentAt = JSON.parse(delivered.body).timeStamp;
      assert.equal((await rejection(Promise.resolve().then(() => c.verifyCallback(delivered.body, { tolerance: 300, receivedAt: sentAt + 900 })))).code, 'timestamp_outside_tolerance');
      const tampered = delivered.body.replace('"status":3', '"status":5');
      assert.notEqual(tampered, delivered.body);
      assert.equal((await rejection(Promise.resolve().then(() => c.verifyCallback(tampered)))).code, 'sign_mismatch');
      // Another gateway host: its version field is not this client's.
      const other = delivered.body.replace('"127.0.0.1"', '"mychanger.icu"');
      assert.equal((await rejection(Promise.resolve().then(() => c.verifyCallback(other)))).code, 'version_missing');
      assert.throws(() => c.verifyCallback(JSON.parse(delivered.body)), TypeError);
      const noSecret = new MerchantClient({ baseUrl: gw.url, shopId: 522, apiKey: SHOP.apiKey });
      assert.throws(() => noSecret.verifyCallback(delivered.body), /secretKey/);
      const rotated = new MerchantClient({ baseUrl: gw.url, shopId: 522, apiKey: SHOP.apiKey, secretKey: ['new-secret', SHOP.secretKey] });
      assert.equal(rotated.verifyCallback(delivered.body).id, id);
    } finally {
      await gw.close();
      await rx.close();
    }
  });

  test('options.versionKey overrides the host', async () => {
    const rx = await receiver(() => [200, 'OK']);
    const gw = await gateway({ versionKey: 'mychanger.icu' });
    try {
      const c = client(gw);
      await c.payment(payment({ statusURL: rx.url }));
      await until(() => rx.hits.length > 0, 'an IPN');
      assert.throws(() => c.verifyCallback(rx.hits[0].raw), (e) => e.code === 'version_missing');
      assert.equal(c.verifyCallback(rx.hits[0].raw, { versionKey: 'mychanger.icu' }).type, 'payment');
    } finally {
      await gw.close();
      await rx.close();
    }
  });

  test('constructor options are checked, every bad one named, no key in the error', () => {
    assert.throws(
      () => new MerchantClient({ baseUrl: 'mychanger.icu/api2', shopId: '52 2', apiKey: '' }),
      (err) => err instanceof ValidationError
        && JSON.stringify(err.issues.map((i) => i.field)) === '["baseUrl","shopId","apiKey"]',
    );
    const secret = 'very-secret-key-do-not-leak';
    assert.throws(() => new MerchantClient({ baseUrl: 'ftp://x', shopId: 1, apiKey: secret }), (err) => !err.message.includes(secret));
    assert.throws(() => new MerchantClient({ baseUrl: 'https://h/api2/', shopId: 1, apiKey: 'k', timeoutMs: -5 }), TypeError);
    assert.throws(() => new MerchantClient({ baseUrl: 'https://h/api2/', shopId: 1, apiKey: 'k', maxRetries: 11 }), TypeError);
    assert.throws(() => new MerchantClient({ baseUrl: 'https://h/api2/', shopId: 1, apiKey: 'k', fetch: 'no' }), TypeError);
    assert.throws(() => new MerchantClient('https://h/api2/'), TypeError);
  });

  test('isFinal follows the seed', () => {
    const finals = (kind) => [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((s) => isFinal(kind, s));
    assert.deepEqual(finals('payment'), [3, 5]);
    assert.deepEqual(finals('withdraw'), [3, 4, 5]);
    assert.deepEqual(finals('ecom'), [3, 4, 5]);
    assert.deepEqual(finals('acquire'), [3, 10, 11]);
    assert.equal(isFinal('withdraw', '4'), true);
    assert.throws(() => isFinal('deposit', 3), TypeError);
    assert.throws(() => isFinal('payment', 2.5), TypeError);
  });

  test('the payment directions table', () => {
    const table = sdk.paymentDirections();
    assert.equal(table.length, 44);
    assert.deepEqual(table[0], { currID: 10, curr: 'KZT', method: 'P2P', name: 'Банки Казахстана', requisite: 'card' });
    assert.deepEqual(sdk.paymentDirection(89), { currID: 89, curr: 'RUB', method: 'P2P', name: 'Выплаты сбер', requisite: 'operationId' });
    assert.equal(sdk.paymentDirection(109).method, 'E-COM');
    assert.equal(sdk.paymentDirection(6), undefined);
    assert.deepEqual([...new Set(table.map((d) => d.requisite))].sort(), ['account', 'card', 'operationId', 'phone', 'url']);
    assert.deepEqual(table.filter((d) => d.requisite === 'url').map((d) => d.currID), [109, 110, 153, 160, 157]);
  });
});

describe('a misbehaving server', () => {
  /** Reads a request's body, then `answer(req, res, body)`. */
  const server = (answer) => serve((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => answer(req, res, body));
  });
  const merchant = (url, options = {}) => new MerchantClient({ baseUrl: url, shopId: SHOP.shopID, apiKey: SHOP.apiKey, ...options });

  test('a redirect through fetch is not followed: the signed body never reaches its Location', async () => {
    const reached = [];
    const elsewhere = await server((req, res, body) => {
      reached.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":{"RUB":1}}');
    });
    const moved = await server((req, res) => res.writeHead(308, { location: `${elsewhere.url}/api2/balance_all` }).end());
    try {
      for (const fetchFn of [undefined, (request) => fetch(request)]) {
        const err = await rejection(merchant(moved.url, { fetch: fetchFn }).balanceAll());
        assert.ok(err instanceof TransportError, String(err));
        assert.deepEqual([err.kind, err.status, err.retryable], ['http_status', 308, false]);
        assert.match(err.message, /redirect.*baseUrl/);
      }
      assert.deepEqual(reached, []);
    } finally {
      await moved.close();
      await elsewhere.close();
    }
  });

  test('an error page or an info that echoes the request shows neither the key nor the signature', async () => {
    let page = true;
    const echoing = await server((req, res, body) => {
      if (page) res.writeHead(502, { 'content-type': 'text/html' }).end(`<pre>upstream refused ${body}</pre>`);
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'sign_wrong', info: `got ${body}` }));
    });
    try {
      const c = merchant(echoing.url, { maxRetries: 0 });
      const { sign } = JSON.parse(sdk.buildStatus({ baseUrl: echoing.url, shopId: SHOP.shopID, apiKey: SHOP.apiKey }, { id: 5 }).body);
      const failure = await rejection(c.status({ id: 5 }));
      assert.ok(failure instanceof TransportError && failure.status === 502, String(failure));
      assert.match(failure.bodyExcerpt, /"sign":"\*\*\*"/);
      page = false;
      const refused = await rejection(c.status({ id: 5 }));
      assertMerchantError(refused, 'sign_wrong', 'an echoing info');
      assert.match(refused.info, /"sign":"\*\*\*"/);
      for (const err of [failure, refused]) {
        assert.ok(!JSON.stringify({ ...err, message: err.message }).includes(sign), JSON.stringify({ ...err }));
      }
    } finally {
      await echoing.close();
    }
  });

  test('a gateway with display_errors on: the PHP warning printed before the answer is skipped', async () => {
    // What real PHP 8 prints when the gateway implodes a nested userInfo, as HTML and as text.
    const warning = (html) => execFileSync('php', ['-d', 'display_errors=1', '-d', `html_errors=${html}`, '-r', "implode(':', [['ip' => '1']]);"], { encoding: 'utf8' });
    const upstream = await gateway();
    let prefix = '';
    const chatty = await server(async (req, res, body) => {
      const answer = await fetch(new URL(req.url, upstream.url), { method: 'POST', headers: { 'content-type': req.headers['content-type'] }, body });
      res.writeHead(200, { 'content-type': 'text/html' }).end(prefix + await answer.text());
    });
    try {
      for (const html of [1, 0]) {
        prefix = warning(html);
        assert.match(prefix, /Warning.*Array to string conversion/);
        const c = new MerchantClient({ baseUrl: chatty.url, shopId: SHOP.shopID, apiKey: SHOP.apiKey, maxRetries: 0 });
        const res = await c.payment(payment({ userInfo: { ip: '192.168.0.1', email: 'user@example.com' } }));
        // The requisites of the fresh answer, not an operation recovered by status without them.
        assert.equal(res.recovered, undefined);
        assert.ok(res.number && res.info, JSON.stringify(res));
      }
    } finally {
      await chatty.close();
      await upstream.close();
    }
  });

  // The seed: "Если результат одно значение - то оно возвращается в поле result: {"result":"123456"}".
  test('dispute: a single-value result is kept as sent, a string id included', async () => {
    const gateway = await server((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":"5237"}'));
    try {
      assert.equal(await merchant(gateway.url).dispute({ id: 14736918, amount: '200.00' }), '5237');
      const dts = readFileSync(join(HERE, '..', '..', 'pkg', 'obmennik.d.ts'), 'utf8');
      assert.match(dts, /dispute\(params: DisputeParams, options\?: CallOptions\): Promise<number \| string>;/);
    } finally {
      await gateway.close();
    }
  });

  test('rate_limit with a Retry-After over 60 s is reported at once, not waited out', async () => {
    let hits = 0;
    const limited = await server((req, res) => {
      hits += 1;
      res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '120' }).end('{"error":"rate_limit"}');
    });
    try {
      const started = Date.now();
      const err = await rejection(merchant(limited.url, { maxRetries: 2 }).balanceAll());
      assertMerchantError(err, 'rate_limit', 'a long Retry-After');
      assert.equal(hits, 1);
      assert.ok(Date.now() - started < 2000, `settled after ${Date.now() - started} ms`);
    } finally {
      await limited.close();
    }
  });
});
