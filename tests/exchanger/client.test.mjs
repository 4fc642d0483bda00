// ExchangerClient from the built package against the sandbox exchanger over real HTTP on
// 127.0.0.1: every method, every error kind, retries, and what is (not) sent.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import zlib from 'node:zlib';
import { startExchanger } from '../../www-demo/sandbox/exchanger.mjs';
import {
  ExchangerClient, ExchangerError, TransportError, ValidationError, ObmennikError,
} from '../../pkg/node.mjs';
import { KEYS, LOGIN, KEY, USDT, goodBid, countingClient, serve } from './helpers.mjs';
import { rejection } from '../merchant/helpers.mjs';

const client = (ex, extra = {}) => new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: KEY, ...extra });

/** Asserts `promise` rejects with an ExchangerError of `kind` and `code`; returns it. */
async function rejectsWith(promise, kind, code) {
  let caught;
  await assert.rejects(promise, (err) => {
    caught = err;
    return err instanceof ExchangerError && err instanceof ObmennikError;
  });
  assert.equal(caught.kind, kind, caught.message);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.name, 'ExchangerError');
  return caught;
}

/** No credential anywhere in what an error exposes. */
function assertNoSecrets(err) {
  const exposed = [String(err), err.message, err.stack, JSON.stringify(err), JSON.stringify(Object.entries(err))].join('\n');
  for (const secret of [LOGIN, KEY]) assert.ok(!exposed.includes(secret), `${secret} leaked: ${exposed}`);
}

describe('ExchangerClient against the sandbox', () => {
  let ex;
  before(async () => { ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 }); });
  after(() => ex.close());

  test('test, with the trailing slash of baseUrl or without, and API-LANG per client and per call', async () => {
    const info = await client(ex).test();
    assert.deepEqual(info, { ip: '127.0.0.1', user_id: '1', locale: 'ru_RU', partner_id: '0' });
    const noSlash = client(ex, { baseUrl: ex.url.replace(/\/$/, ''), lang: 'en_US' });
    assert.equal((await noSlash.test()).locale, 'en_US');
    assert.equal((await client(ex).test({ lang: 'en_US' })).locale, 'en_US');
  });

  test('getDirectionCurrencies and getDirections, with filters', async () => {
    const c = client(ex);
    const cur = await c.getDirectionCurrencies({ currency_id_get: 3 });
    assert.deepEqual(cur.get.map((x) => x.id), ['3']);
    assert.ok(cur.give.some((x) => x.id === '1' && x.title === 'Bitcoin BTC' && x.logo.endsWith('/logos/btc.svg')));
    const all = await c.getDirections();
    assert.equal(all.length, 12);
    const fromTinkoff = await c.getDirections({ currency_id_give: '6' });
    assert.deepEqual(fromTinkoff.map((d) => d.direction_id), ['4', '6']);
  });

  test('getDirection: by id, by currency pair, typed field descriptors, unknown is not_found', async () => {
    const c = client(ex);
    const d = await c.getDirection({ direction_id: 6 });
    assert.equal(d.id, '6');
    assert.equal(d.min_get, null); // the wire's "no"
    assert.deepEqual(d.give_fields.map((f) => [f.name, f.req, f.cd]), [['account1', true, false], ['cfgive8', true, false]]);
    const network = d.dir_fields.find((f) => f.name === 'cf12');
    assert.deepEqual([network.type, network.req, network.cd], ['select', true, true]);
    assert.deepEqual(network.options.map((o) => o.value), ['0', '1', '2', '3']);
    assert.equal(d.dir_fields.find((f) => f.name === 'cf11').req, false);
    assert.equal(d.dir_fields.find((f) => f.name === 'cf11').options, undefined);
    const pair = await c.getDirection({ currency_id_give: 7, currency_id_get: 3 });
    assert.equal(pair.id, '11');
    assert.deepEqual(pair.give_fields.find((f) => f.name === 'cfgive16').options.map((o) => o.value), ['0', '1', '3', '4']);
    const listed = await c.getDirection({ direction_id: 7 }); // dir_fields sent as a JSON array
    assert.deepEqual([listed.give_fields, listed.dir_fields.map((f) => f.name)], [[], ['cf6']]);
    await rejectsWith(c.getDirection({ direction_id: 999 }), 'not_found', 1);
  });

  test('getCalc: calc_action 1 to 4, changed when clamped, cd built from an object', async () => {
    const c = client(ex);
    const give = await c.getCalc({ direction_id: 9, calc_amount: '0.1' });
    assert.deepEqual([give.sum_give, give.changed], ['0.1', false]);
    assert.equal((await c.getCalc({ direction_id: 9, calc_amount: give.sum_get, calc_action: 2 })).sum_give, '0.1');
    assert.equal((await c.getCalc({ direction_id: 11, calc_amount: 5075, calc_action: 3 })).sum_give, '5000');
    assert.equal((await c.getCalc({ direction_id: 9, calc_amount: give.sum_get_com, calc_action: 4 })).sum_give, '0.1');
    const low = await c.getCalc({ direction_id: 9, calc_amount: 0.00001 });
    assert.deepEqual([low.changed, low.sum_give], [true, low.min_give]);
    const base = { direction_id: 6, calc_amount: 100000 };
    const erc = await c.getCalc({ ...base, cd: { cf12: 1 } });
    const arb = await c.getCalc({ ...base, cd: { cf12: '2' } });
    assert.ok(Number(arb.sum_get_com) > Number(erc.sum_get_com), 'the network in cd changes the fee');
    assert.match(arb.com_get, /Arbitrum One/);
    const encoded = await c.getCalc({ ...base, cd: encodeURIComponent('cf12=2') });
    assert.equal(encoded.sum_get_com, arb.sum_get_com);
  });

  test('createBid, bidInfo, payBid, successBid, cancelBid and getExchanges', async () => {
    const c = client(ex);
    const bid = await c.createBid(goodBid());
    assert.equal(bid.status, 'new');
    assert.match(bid.api_id, /^obm-[0-9a-f-]{36}$/);
    assert.equal(bid.replayed, false);
    assert.equal(typeof bid.id, 'string');
    assert.equal(ex.bids().find((b) => b.id === Number(bid.id)).apiId, bid.api_id);
    assert.deepEqual(await c.bidInfo({ hash: bid.hash }).then((b) => [b.id, b.status]), [bid.id, 'new']);
    assert.equal(await c.payBid({ hash: bid.hash }), 'payed');
    assert.equal(await c.payBid({ id: bid.id }), 'payed'); // repeating is harmless
    assert.equal(await c.successBid({ id: bid.id }), 'success');
    assert.equal((await c.bidInfo({ id: Number(bid.id) })).api_actions.type, 'finished');
    const other = await c.createBid(goodBid());
    assert.equal(await c.cancelBid({ hash: other.hash }), 'cancel');
    const page = await c.getExchanges({ status_history: 1, limit: 2 });
    assert.equal(page.items.length, 2);
    const mine = page.items.find((i) => i.id === other.id);
    assert.deepEqual(mine.statuses.map((s) => s.status), ['new', 'cancel']);
    const done = (await c.getExchanges({ id: bid.id })).items[0];
    assert.deepEqual([done.exchange_success, done.api_id], [true, bid.api_id]);
    assert.deepEqual(await c.getExchanges({ start_time: 4102444800 }), { items: [] });
  });

  test('partner methods', async () => {
    const c = client(ex);
    const info = await c.getPartnerInfo();
    assert.equal(info.partner_id, '7');
    assert.equal(typeof info.balance, 'string');
    assert.ok(info.items.every((i) => i.comission.endsWith('%')));
    assert.equal((await c.getPartnerLinks({ limit: 2 })).items.length, 2);
    await client(ex, { login: 'other', key: 'other-key-123' }).createBid(goodBid({ partner_id: 7 }));
    const px = await c.getPartnerExchanges();
    assert.ok(px.items.length >= 1 && px.items.every((i) => i.accrued === false && i.api_id === undefined));
    const payout = await c.addPartnerPayout({ method_id: 3, account: USDT });
    assert.match(payout.payout_id, /^\d+$/);
    const payouts = await c.getPartnerPayouts();
    assert.deepEqual([payouts.items[0].id, payouts.items[0].status], [payout.payout_id, 0]);
  });

  test('every exchanger error kind reaches the caller typed', async () => {
    const c = client(ex);
    await rejectsWith(c.bidInfo({ id: 99999 }), 'not_found', 1);
    await rejectsWith(client(ex, { login: 'blocked', key: 'blocked-key-123' }).test(), 'ip_blocked', 2);
    await rejectsWith(client(ex, { login: 'limited', key: 'limited-key-123' }).getCalc({ direction_id: 1, calc_amount: 1 }), 'method_not_supported', 3);
    await rejectsWith(client(ex, { login: 'nopp', key: 'nopp-key-123' }).getPartnerLinks(), 'no_partner_program', 1);
    const linkBid = await c.createBid({ direction_id: 8, calc_amount: 100, account1: 'P1234567', account2: goodBid().account2, cf6: 'a@b.co' });
    await rejectsWith(c.payBid({ hash: linkBid.hash }), 'action_disabled', 2);
    const invalid = await rejectsWith(c.createBid({ direction_id: 2, calc_amount: 100, account1: '123', account2: 'x' }), 'validation', 3);
    assert.equal(invalid.fields.account1, 'Неверный номер карты'); // HTML removed
    assert.equal(invalid.fields.sum1, 'мин.: 5000 RUB');
    assert.equal(invalid.errorText, 'Ошибка!');
    assert.equal(invalid.method, 'create_bid');
    assert.match(invalid.apiId, /^obm-/);
    await rejectsWith(c.addPartnerPayout({ method_id: 3, account: 'nope' }), 'validation', 1);
    ex.setMaintenance(true);
    try {
      await rejectsWith(c.getDirections(), 'maintenance', 1);
      await rejectsWith(c.createBid(goodBid()), 'maintenance', 2);
    } finally {
      ex.setMaintenance(false);
    }
    const wrongKey = await rejectsWith(client(ex, { key: 'wrong-key-0000' }).test(), 'api_disabled', 0);
    assert.match(wrongKey.hint, /API-LOGIN and API-KEY/);
    // An answer the SDK cannot read: an unknown error code.
    const odd = client(ex, { fetch: async () => new Response('{"error":"7","error_text":"odd"}') });
    const unknown = await rejectsWith(odd.test(), 'unknown', 7);
    assert.equal(unknown.errorText, 'odd');
    for (const err of [invalid, wrongKey, unknown]) assertNoSecrets(err);
  });

  test('a PHP notice before the JSON is skipped; an empty body is api_disabled', async () => {
    const { client: c } = countingClient(ex);
    ex.failNext({ method: 'get_directions', mode: 'non-json' });
    assert.equal((await c.getDirections()).length, 12);
    ex.failNext({ method: 'test', mode: 'empty' });
    await rejectsWith(c.test(), 'api_disabled', 0);
  });

  test('an answer cut short (no length, connection closed) is a retried not_json failure, not api_disabled; a notice after the JSON is skipped', async () => {
    const info = JSON.stringify({ error: 0, error_text: '', data: { ip: '127.0.0.1', user_id: '1', locale: 'ru_RU', partner_id: '0' } });
    const cut = `{"error":0,"error_text":"a text that goes on to the key ${KEY}`;
    const answers = [];
    let hits = 0;
    // HTTP/1.1 without Content-Length or chunking: the body ends where the connection does, so
    // no transport can tell a cut from the end.
    const raw = net.createServer((socket) => {
      socket.once('data', () => {
        hits += 1;
        socket.end(`HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n${answers.shift() ?? info}`);
      });
      socket.on('error', () => {});
    });
    await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${raw.address().port}/api/userapi/v1/`;
      for (const fetchFn of [undefined, (request) => fetch(request)]) {
        answers.push(cut);
        hits = 0;
        assert.equal((await new ExchangerClient({ baseUrl, login: LOGIN, key: KEY, fetch: fetchFn }).test()).user_id, '1');
        assert.equal(hits, 2);
        answers.push(cut);
        const err = await rejection(new ExchangerClient({ baseUrl, login: LOGIN, key: KEY, maxRetries: 0, fetch: fetchFn }).test());
        assert.ok(err instanceof TransportError, String(err));
        assert.deepEqual([err.kind, err.status, err.retryable], ['not_json', 200, true]);
        assert.equal(err.bodyExcerpt, cut.replace(KEY, '***'));
        assertNoSecrets(err);
        answers.push(`${info}\n<br />\n<b>Deprecated</b>: Creation of dynamic property in shutdown hook<br />\n`);
        assert.equal((await new ExchangerClient({ baseUrl, login: LOGIN, key: KEY, fetch: fetchFn }).test()).user_id, '1');
      }
      // A payout, never retried, reports the cut instead of blaming the keys.
      answers.push(info.slice(0, 30));
      hits = 0;
      const payout = await rejection(new ExchangerClient({ baseUrl, login: LOGIN, key: KEY }).addPartnerPayout({ method_id: 3, account: USDT }));
      assert.deepEqual([payout.name, payout.kind, hits], ['TransportError', 'not_json', 1]);
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  test('transport failures: retried where safe, typed, masked', async () => {
    const { client: c, calls } = countingClient(ex, { maxRetries: 2 });
    ex.failNext({ method: 'get_directions', mode: 'http500', count: 2 });
    assert.equal((await c.getDirections()).length, 12);
    assert.deepEqual(calls.splice(0), ['get_directions', 'get_directions', 'get_directions']);

    ex.failNext({ method: 'test', mode: 'http500', count: 3 });
    await assert.rejects(c.test(), (err) => err instanceof TransportError && err.kind === 'http_status' && err.status === 500 && err.retryable);
    assert.equal(calls.splice(0).length, 3);

    ex.failNext({ method: 'add_partner_payout', mode: 'http500' });
    await assert.rejects(c.addPartnerPayout({ method_id: 3, account: USDT }), (err) => err instanceof TransportError);
    assert.deepEqual(calls.splice(0), ['add_partner_payout'], 'a payout is never sent twice');

    ex.failNext({ method: 'test', mode: 'slow', delayMs: 1000 });
    await assert.rejects(client(ex, { maxRetries: 0 }).test({ timeoutMs: 100 }), (err) => err instanceof TransportError && err.kind === 'timeout');

    const abort = new AbortController();
    ex.failNext({ method: 'test', mode: 'slow', delayMs: 1000 });
    const pending = client(ex).test({ signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(pending, (err) => err instanceof TransportError && err.kind === 'aborted' && !err.retryable);

    const closed = await serve(() => {});
    const deadUrl = `${closed.url}/api/userapi/v1/`;
    await closed.close();
    const dead = new ExchangerClient({ baseUrl: deadUrl, login: LOGIN, key: KEY, maxRetries: 1 });
    await assert.rejects(dead.test(), (err) => { assertNoSecrets(err); return err instanceof TransportError && err.kind === 'network'; });

    // A body echoing the key is masked in the excerpt.
    const echo = client(ex, { fetch: async () => new Response(`<h1>Bad gateway for ${KEY} / ${LOGIN}</h1>`, { status: 502 }), maxRetries: 0 });
    await assert.rejects(echo.test(), (err) => { assertNoSecrets(err); return err.bodyExcerpt.includes('***'); });
  });

  test('onRequest: timeouts and network failures are reported with what comes next; a throwing hook changes nothing; a non-function is a TypeError', async () => {
    const stalled = await serve(() => {});
    try {
      const events = [];
      const c = new ExchangerClient({ baseUrl: `${stalled.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 1, timeoutMs: 100, onRequest: (e) => events.push(e) });
      await assert.rejects(c.test(), (err) => err instanceof TransportError && err.kind === 'timeout');
      assert.deepEqual(events.map((e) => [e.attempt, e.status, e.error, e.outcome]), [[1, undefined, 'timeout', 'retry'], [2, undefined, 'timeout', 'fail']]);
      assert.ok(events.every((e) => e.elapsedMs >= 90), events.map((e) => e.elapsedMs).join());
      const throwing = new ExchangerClient({ baseUrl: `${stalled.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 0, timeoutMs: 50, onRequest: () => { throw new Error('logger down'); } });
      await assert.rejects(throwing.test(), (err) => err instanceof TransportError && err.kind === 'timeout');
    } finally {
      await stalled.close();
    }
    const closed = await serve(() => {});
    await closed.close();
    const refused = [];
    const dead = new ExchangerClient({ baseUrl: `${closed.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 0, onRequest: (e) => refused.push(e) });
    await assert.rejects(dead.test(), (err) => err instanceof TransportError && err.kind === 'network');
    assert.deepEqual(refused.map((e) => [e.error, e.outcome]), [['network', 'fail']]);
    assert.throws(() => new ExchangerClient({ baseUrl: 'http://127.0.0.1:9/', login: LOGIN, key: KEY, onRequest: 'log' }), { name: 'TypeError', message: 'onRequest must be a function' });
  });

  test('a call started from inside onRequest (a health check on the first retry) and the call being reported both settle with their own answers', async () => {
    let hits = 0;
    const flaky = await serve((req, res) => {
      hits += 1;
      if (hits === 1) return res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      const method = req.url.split('/').filter(Boolean).pop();
      res.writeHead(200, { 'content-type': 'text/html' }).end(JSON.stringify({ error: 0, error_text: '', data: method === 'test'
        ? { ip: '127.0.0.1', user_id: '1', locale: 'ru_RU', partner_id: '0' }
        : { give: { 1: { id: '1', title: 'BTC' } }, get: { 1: { id: '1', title: 'BTC' } } } }));
    });
    try {
      let check;
      const c = new ExchangerClient({
        baseUrl: `${flaky.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 1,
        onRequest: (e) => { if (e.outcome === 'retry') check ??= c.getDirectionCurrencies(); },
      });
      const info = await c.test();
      assert.equal(info.user_id, '1');
      const currencies = await check;
      assert.ok(Array.isArray(currencies.give), JSON.stringify(currencies));
      assert.equal(hits, 3);
    } finally {
      await flaky.close();
    }
  });

  test('a signal that is not an AbortSignal is a TypeError before anything is sent, not an uncaught exception later', async () => {
    let hits = 0;
    const busy = await serve((req, res) => {
      hits += 1;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
    });
    try {
      const c = new ExchangerClient({ baseUrl: `${busy.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 1 });
      for (const signal of [{ aborted: false }, { aborted: false, addEventListener() {} }]) {
        await assert.rejects(c.test({ signal }), { name: 'TypeError', message: 'options.signal must be an AbortSignal' });
      }
      // Something shaped like one (another realm's, a polyfill's) still works.
      const target = new EventTarget();
      const polyfilled = Object.assign(target, { aborted: false, reason: undefined });
      await assert.rejects(c.test({ signal: polyfilled }), (err) => err instanceof TransportError && err.status === 503);
      assert.equal(hits, 2);
      await new Promise((resolve) => setTimeout(resolve, 50)); // an uncaught exception of a timer would land here
    } finally {
      await busy.close();
    }
  });

  test('an abort while waiting out Retry-After settles the call at once; nothing more is sent', async () => {
    let hits = 0;
    const busy = await serve((req, res) => {
      hits += 1;
      res.writeHead(503, { 'retry-after': '30', 'content-type': 'text/plain' }).end('busy');
    });
    try {
      const c = new ExchangerClient({ baseUrl: `${busy.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 2 });
      const abort = new AbortController();
      const started = Date.now();
      const pending = c.test({ signal: abort.signal });
      setTimeout(() => abort.abort(), 200);
      await assert.rejects(pending, (err) => err instanceof TransportError && err.kind === 'aborted' && !err.retryable);
      const took = Date.now() - started;
      assert.ok(took < 3000, `settled ${took} ms after the start, not at the abort (Retry-After was 30 s)`);
      assert.equal(hits, 1, 'the retry was not sent');
    } finally {
      await busy.close();
    }
  });

  test('a 503 with Retry-After is retried after the time the server asked for, not the backoff', async () => {
    const seen = [];
    const busyOnce = await serve((req, res) => {
      seen.push(Date.now());
      if (seen.length === 1) return res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('busy');
      res.writeHead(200, { 'content-type': 'text/html' }).end(JSON.stringify({ error: 0, error_text: '', data: { ip: '127.0.0.1', user_id: '1', locale: 'ru_RU', partner_id: '0' } }));
    });
    try {
      const events = [];
      const c = new ExchangerClient({ baseUrl: `${busyOnce.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 1, onRequest: (e) => events.push(e) });
      assert.equal((await c.test()).user_id, '1');
      assert.equal(seen.length, 2);
      assert.ok(seen[1] - seen[0] >= 950, `retried after ${seen[1] - seen[0]} ms; Retry-After said 1 s`);
      // onRequest saw both attempts, the wait in between, and nothing of the keys.
      const url = `${busyOnce.url}/api/userapi/v1/test/`;
      assert.deepEqual(events.map(({ elapsedMs, ...e }) => ({ ...e })), [
        { url, method: 'POST', attempt: 1, status: 503, error: undefined, outcome: 'retry', retryInMs: 1000 },
        { url, method: 'POST', attempt: 2, status: 200, error: undefined, outcome: 'done', retryInMs: undefined },
      ]);
      assert.ok(events.every((e) => e.elapsedMs >= 0 && e.elapsedMs < 5000));
      assert.ok(!JSON.stringify(events).includes(KEY) && !JSON.stringify(events).includes(LOGIN));
    } finally {
      await busyOnce.close();
    }
  });

  test('Retry-After as an HTTP date is waited out; over 60 s it ends the call at once; garbage leaves the backoff', async () => {
    const info = JSON.stringify({ error: 0, error_text: '', data: { ip: '127.0.0.1', user_id: '1', locale: 'ru_RU', partner_id: '0' } });
    let retryAfter;
    const seen = [];
    const busyOnce = await serve((req, res) => {
      seen.push(Date.now());
      if (seen.length === 1) return res.writeHead(503, { 'retry-after': retryAfter(), 'content-type': 'text/plain' }).end('busy');
      res.writeHead(200, { 'content-type': 'text/html' }).end(info);
    });
    try {
      const events = [];
      const c = new ExchangerClient({ baseUrl: `${busyOnce.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 1, onRequest: (e) => events.push(e) });
      const attempt = async (header) => {
        retryAfter = header;
        seen.length = 0;
        events.length = 0;
        const settled = await c.test().then((v) => v, (e) => e);
        return { settled, gap: seen.length > 1 ? seen[1] - seen[0] : undefined, outcomes: events.map((e) => [e.outcome, e.retryInMs]) };
      };
      // A date one to two seconds ahead (an HTTP date counts whole seconds).
      const date = await attempt(() => new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toUTCString());
      assert.equal(date.settled.user_id, '1');
      assert.ok(date.gap >= 900 && date.gap < 2500, `retried after ${date.gap} ms`);
      assert.ok(date.outcomes[0][1] >= 900 && date.outcomes[0][1] <= 2000, JSON.stringify(date.outcomes));
      // An hour, or a count of seconds past setTimeout's range: not waited for, not hammered.
      for (const header of ['3600', '3000000', new Date(Date.now() + 3_600_000).toUTCString()]) {
        const long = await attempt(() => header);
        assert.ok(long.settled instanceof TransportError && long.settled.status === 503 && long.settled.retryable, `${header}: ${long.settled}`);
        assert.equal(seen.length, 1, `${header}: retried after ${long.gap} ms`);
        assert.deepEqual(long.outcomes, [['fail', undefined]]);
      }
      const garbage = await attempt(() => 'soon');
      assert.equal(garbage.settled.user_id, '1');
      assert.ok(garbage.outcomes[0][1] >= 125 && garbage.outcomes[0][1] <= 250, JSON.stringify(garbage.outcomes));
    } finally {
      await busyOnce.close();
    }
  });

  test('in Node the default transport is node:http, not fetch: encoded answers read (up to 32 MiB inflated), redirects not followed, a cut answer is a network error', async () => {
    const info = JSON.stringify({ error: 0, error_text: '', data: { ip: '127.0.0.1', user_id: '1', locale: 'ru_RU', partner_id: '0' } });
    // No Accept-Encoding is sent, which allows any coding (RFC 9110, 12.5.3): all are read.
    const codings = [['gzip', zlib.gzipSync], ['deflate', zlib.deflateSync], ['br', zlib.brotliCompressSync]];
    let hits = 0;
    const encoding = await serve((req, res) => {
      const [name, encode] = codings[hits++ % codings.length];
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': name }).end(encode(info));
    });
    let redirected = 0;
    const moved = await serve((req, res) => {
      redirected += 1;
      res.writeHead(301, { location: 'https://elsewhere.example/api/userapi/v1/test/' }).end();
    });
    const bomb = zlib.gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    const inflating = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
    });
    const cut = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '1000' });
      res.write(info.slice(0, 20));
      setTimeout(() => res.destroy(), 20);
    });
    const fetchBefore = globalThis.fetch;
    globalThis.fetch = () => { throw new Error('the global fetch was called'); };
    try {
      const encoded = new ExchangerClient({ baseUrl: `${encoding.url}/api/userapi/v1/`, login: LOGIN, key: KEY });
      for (const [name] of codings) assert.equal((await encoded.test()).locale, 'ru_RU', `a ${name} answer is decoded`);
      // Not followed (a POST sent on is not the call made), not retried, and it says why.
      const movedClient = new ExchangerClient({ baseUrl: `${moved.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 2 });
      await assert.rejects(movedClient.test(), (err) => err instanceof TransportError && err.kind === 'http_status'
        && err.status === 301 && !err.retryable && /redirect.*baseUrl/.test(err.message));
      assert.equal(redirected, 1);
      const bombClient = new ExchangerClient({ baseUrl: `${inflating.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 0 });
      await assert.rejects(bombClient.test(), (err) => err instanceof TransportError && err.kind === 'network' && /inflates to more than 32 MiB/.test(err.message));
      const cutClient = new ExchangerClient({ baseUrl: `${cut.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 0 });
      await assert.rejects(cutClient.test(), (err) => err instanceof TransportError && err.kind === 'network' && /ECONNRESET|aborted|closed/.test(err.message));
    } finally {
      globalThis.fetch = fetchBefore;
      await encoding.close();
      await moved.close();
      await inflating.close();
      await cut.close();
    }
  });

  test('an injected fetch (the path of browsers and workers) gets the timeout and the abort through its Request', async () => {
    const seen = [];
    const hang = (request) => new Promise((resolve, reject) => {
      seen.push(request.url);
      request.signal.addEventListener('abort', () => reject(request.signal.reason));
    });
    const c = client(ex, { fetch: hang, maxRetries: 0 });
    await assert.rejects(c.test({ timeoutMs: 100 }), (err) => err instanceof TransportError && err.kind === 'timeout');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 50);
    await assert.rejects(c.test({ signal: abort.signal }), (err) => err instanceof TransportError && err.kind === 'aborted');
    assert.deepEqual(seen, [`${ex.url}test/`, `${ex.url}test/`]);
  });

  test('through fetch (browsers, workers, an injected fetch) a redirect is not followed: API-KEY never reaches its Location', async () => {
    const reached = [];
    const elsewhere = await serve((req, res) => {
      reached.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/html' }).end(JSON.stringify({ error: 0, error_text: '', data: { ip: '127.0.0.1', user_id: '1', locale: 'ru_RU', partner_id: '0' } }));
    });
    let moves = 0;
    const moved = await serve((req, res) => {
      moves += 1;
      res.writeHead(307, { location: `${elsewhere.url}/api/userapi/v1/test/` }).end();
    });
    try {
      const redirects = [];
      const c = new ExchangerClient({
        baseUrl: `${moved.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 2,
        fetch: (request) => { redirects.push(request.redirect); return fetch(request); },
      });
      await assert.rejects(c.test(), (err) => err instanceof TransportError && err.kind === 'http_status'
        && err.status === 307 && !err.retryable && /redirect.*baseUrl/.test(err.message));
      assert.deepEqual(redirects, ['manual']);
      // Response.error() shares an opaque redirect's status 0, but is a network failure.
      const failing = new ExchangerClient({ baseUrl: `${moved.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 1, fetch: async () => Response.error() });
      await assert.rejects(failing.test(), (err) => err instanceof TransportError && err.kind === 'network' && err.retryable && /Response\.error/.test(err.message));
      assert.equal(moves, 1);
      assert.deepEqual(reached, [], 'the redirect target got the login and key');
    } finally {
      await moved.close();
      await elsewhere.close();
    }
  });

  test('an answer longer than 32 MiB, as sent or as inflated, is a network error in every transport, not hundreds of MiB in memory', async () => {
    const info = JSON.stringify({ error: 0, error_text: '', data: { ip: '127.0.0.1', user_id: '1', locale: 'ru_RU', partner_id: '0' } });
    const MiB = Buffer.alloc(1024 * 1024, 0x20); // leading whitespace: valid JSON once the envelope follows
    let sent = 0;
    const endless = await serve((req, res) => {
      // Chunked, so nothing announces the length: 200 MiB of it unless the client stops reading.
      res.writeHead(200, { 'content-type': 'text/html' });
      let left = 200;
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          left -= 1;
          sent += MiB.length;
          if (!res.write(MiB)) return res.once('drain', pump);
        }
        if (!res.destroyed) res.end(info);
      };
      res.on('error', () => {});
      pump();
    });
    const announced = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(33 * 1024 * 1024) }).end();
    });
    const bomb = zlib.gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
    const inflating = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
    });
    try {
      for (const fetchFn of [undefined, (request) => fetch(request)]) {
        const via = fetchFn ? 'fetch' : 'node:http';
        for (const target of [endless, announced, inflating]) {
          sent = 0;
          const c = new ExchangerClient({ baseUrl: `${target.url}/api/userapi/v1/`, login: LOGIN, key: KEY, maxRetries: 0, fetch: fetchFn });
          await assert.rejects(c.test(), (err) => err instanceof TransportError && err.kind === 'network'
            && /(longer than|inflates to more than) 32 MiB/.test(err.message), `${via}, ${target.url}`);
          if (target === endless) assert.ok(sent < 100 * MiB.length, `${via} read on to ${sent / MiB.length} MiB`);
        }
      }
    } finally {
      await endless.close();
      await announced.close();
      await inflating.close();
    }
  });

  test('the caller\'s AbortSignal works where AbortSignal.any is missing (Node 20.0 to 20.2)', async () => {
    const any = AbortSignal.any;
    delete AbortSignal.any;
    try {
      assert.equal(AbortSignal.any, undefined);
      const c = client(ex, { maxRetries: 0 });
      assert.equal((await c.test({ signal: new AbortController().signal })).ip, '127.0.0.1');
      const abort = new AbortController();
      ex.failNext({ method: 'test', mode: 'slow', delayMs: 1000 });
      const pending = c.test({ signal: abort.signal });
      setTimeout(() => abort.abort(), 50);
      await assert.rejects(pending, (err) => err instanceof TransportError && err.kind === 'aborted');
    } finally {
      AbortSignal.any = any;
    }
  });

  test('bad input is refused before anything is sent, naming each field and rule', async () => {
    const { client: c, calls } = countingClient(ex);
    await assert.rejects(c.getCalc({ direction_id: 'abc', calc_amount: '1e5', calc_action: 5, calc_ammount: 1 }), (err) => {
      assert.ok(err instanceof ValidationError);
      assert.deepEqual(err.issues.map((i) => i.field), ['direction_id', 'calc_amount', 'calc_action', 'calc_ammount']);
      assert.match(err.message, /calc_action: must be 1 \(amount given\)/);
      return true;
    });
    await assert.rejects(c.getExchanges({ api_id: 'x' }), (err) => err instanceof ValidationError && /findExchangeByApiId/.test(err.message));
    await assert.rejects(c.bidInfo({}), ValidationError);
    await assert.rejects(c.bidInfo({ id: 1, hash: 'abc' }), ValidationError);
    await assert.rejects(c.createBid(goodBid({ api_id: 'has space' })), ValidationError);
    await assert.rejects(c.createBid(goodBid({ callback_url: 'javascript:alert(1)' })), ValidationError);
    await assert.rejects(c.getCalc({ direction_id: 1, calc_amount: NaN }), ValidationError);
    await assert.rejects(c.getCalc([1]), ValidationError);
    await assert.rejects(c.test({ timeoutMs: -1 }), TypeError);
    await assert.rejects(c.test({ lang: 'english' }), TypeError);
    assert.deepEqual(calls, [], 'nothing was sent');
    assert.throws(() => new ExchangerClient({ baseUrl: 'ftp://x', login: LOGIN, key: KEY }), ValidationError);
    // Credentials (refused by fetch, a Basic header in node:http, kept by onRequest's logs), a
    // query or a fragment (which would swallow the method's path) are refused where they are set.
    for (const baseUrl of ['http://user:pass@127.0.0.1:9/api/userapi/v1', 'http://127.0.0.1:9/api/userapi/v1?lang=en', 'http://127.0.0.1:9/#v1', 'http:///api', 'https:// x.example/']) {
      assert.throws(() => new ExchangerClient({ baseUrl, login: LOGIN, key: KEY }), (err) => err instanceof ValidationError
        && err.issues[0].field === 'baseUrl' && /credentials, query or fragment/.test(err.message), baseUrl);
    }
    assert.equal(new ExchangerClient({ baseUrl: 'HTTPS://exchanger.example/api/userapi/v1/', login: LOGIN, key: KEY }).constructor, ExchangerClient);
    assert.throws(() => new ExchangerClient({ baseUrl: ex.url, login: '', key: KEY }), (err) => err instanceof ValidationError && !err.message.includes(KEY));
    assert.throws(() => new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: 'a\r\nb' }), ValidationError);
    assert.throws(() => new ExchangerClient({ baseUrl: ex.url, login: 'Логин', key: KEY }), (err) => err instanceof ValidationError && /login.*printable ASCII/.test(err.message));
    assert.throws(() => new ExchangerClient(), TypeError);
  });

  test('amounts given as numbers are sent as JavaScript prints them: no exponent, no digit rounded away', async () => {
    const bodies = [];
    const c = client(ex, { fetch: async (request) => { bodies.push(await request.clone().text()); return fetch(request); } });
    for (const calc_amount of [0.00000001, 1234567.12345678, '0.00000001']) {
      await c.getCalc({ direction_id: 9, calc_amount });
    }
    const sent = bodies.map((b) => new URLSearchParams(b).get('calc_amount'));
    assert.deepEqual(sent, ['0.00000001', '1234567.12345678', '0.00000001']);
  });

  test('createBid checks the direction\'s fields when given getDirection\'s answer', async () => {
    const { client: c, calls } = countingClient(ex);
    const direction = await c.getDirection({ direction_id: 6 });
    calls.length = 0;
    await assert.rejects(c.createBid({ direction_id: 6, calc_amount: 5000, cf12: '0', cf99: 'x' }, { direction }), (err) => {
      assert.ok(err instanceof ValidationError);
      assert.deepEqual(err.issues.map((i) => i.field), ['account1', 'cfgive8', 'account2', 'cf12', 'cf6', 'cf99']);
      assert.match(err.issues[0].rule, /is required \(Номер карты\)/);
      return true;
    });
    assert.deepEqual(calls, []);
    const bid = await c.createBid({
      direction_id: 6, calc_amount: 5000, account1: goodBid().account1, cfgive8: 'IVAN', account2: '0x52908400098527886E0F7030069857D2E4169EE7',
      cf12: 2, cf6: 'a@b.co',
    }, { direction });
    assert.equal(bid.status, 'new');
    await assert.rejects(c.createBid(goodBid(), { direction: 'nope' }), TypeError);
  });
});

describe('createBid cannot be doubled', () => {
  let ex;
  before(async () => { ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 }); });
  after(() => ex.close());

  const count = (apiId) => ex.bids().filter((b) => b.apiId === apiId).length;

  test('the answer is lost after the bid was created: one bid, returned as replayed', async () => {
    const { client: c, calls } = countingClient(ex);
    const before = ex.bids().length;
    ex.failNext({ method: 'create_bid', mode: 'drop-after-commit' });
    const bid = await c.createBid(goodBid());
    assert.equal(ex.bids().length, before + 1);
    assert.equal(count(bid.api_id), 1);
    assert.equal(bid.replayed, true);
    assert.equal(ex.bids().find((b) => b.apiId === bid.api_id).hash, bid.hash);
    assert.deepEqual(calls, ['create_bid', 'create_bid', 'get_exchanges', 'bid_info']);
  });

  test('every answer is lost: the bid is still found, never created twice', async () => {
    const { client: c } = countingClient(ex);
    const before = ex.bids().length;
    ex.failNext({ method: 'create_bid', mode: 'drop-after-commit', count: 3 });
    const bid = await c.createBid(goodBid({ api_id: 'order-all-lost-1' }));
    assert.deepEqual([bid.replayed, bid.api_id, ex.bids().length], [true, 'order-all-lost-1', before + 1]);
  });

  test('the answer is cut off half-way after the bid was created: one bid, returned as replayed', async () => {
    const { client: c, calls } = countingClient(ex);
    const before = ex.bids().length;
    ex.failNext({ method: 'create_bid', mode: 'cut-after-commit' });
    const bid = await c.createBid(goodBid());
    assert.deepEqual([bid.replayed, count(bid.api_id), ex.bids().length], [true, 1, before + 1]);
    assert.deepEqual(calls, ['create_bid', 'create_bid', 'get_exchanges', 'bid_info']);
  });

  test('a 500 before the bid was made is retried with the same api_id', async () => {
    const { client: c, calls } = countingClient(ex);
    ex.failNext({ method: 'create_bid', mode: 'http500' });
    const bid = await c.createBid(goodBid());
    assert.deepEqual([bid.replayed, count(bid.api_id)], [false, 1]);
    assert.deepEqual(calls, ['create_bid', 'create_bid']);
  });

  test('the caller\'s own api_id used again returns the first bid, even past a page of others', async () => {
    const c = client(ex);
    const first = await c.createBid(goodBid({ api_id: 'shop-order-42' }));
    for (let i = 0; i < 3; i += 1) await c.createBid(goodBid());
    const again = await c.createBid(goodBid({ api_id: 'shop-order-42' }));
    assert.deepEqual([again.id, again.hash, again.replayed], [first.id, first.hash, true]);
    assert.equal(count('shop-order-42'), 1);
    assert.equal((await c.findExchangeByApiId('shop-order-42')).id, first.id);
    assert.equal(await c.findExchangeByApiId('never-used'), null);
  });

  test('no bid can be found (another login holds the api_id): the refusal stands, with a hint', async () => {
    await client(ex, { login: 'other', key: 'other-key-123' }).createBid(goodBid({ api_id: 'shared-7' }));
    // Same api_id under this login is free: a new bid, not someone else's.
    const mine = await client(ex).createBid(goodBid({ api_id: 'shared-7' }));
    assert.equal(mine.replayed, false);
    // A server that refuses every api_id but lists none: the error stays, with apiId.
    const { client: liar } = countingClient(ex, {
      fetch: async (request) => new URL(request.url).pathname.includes('create_bid')
        ? new Response('{"error":"3","error_text":"api id not unique","error_fields":[],"data":[]}')
        : new Response('{"error":"0","error_text":"","data":[]}'),
    });
    const err = await rejectsWith(liar.createBid(goodBid({ api_id: 'ghost-1' })), 'validation', 3);
    assert.match(err.hint, /no bid with it/);
    assert.equal(err.apiId, 'ghost-1');
  });
});

describe('async iterators', () => {
  let ex;
  before(async () => { ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 }); });
  after(() => ex.close());

  test('for await pages through get_exchanges with limit and offset', async () => {
    const { client: c, calls } = countingClient(ex);
    const made = [];
    for (let i = 0; i < 7; i += 1) made.push((await c.createBid(goodBid())).id);
    calls.length = 0;
    const seen = [];
    for await (const item of c.iterateExchanges({ limit: 3 })) seen.push(item.id);
    assert.deepEqual([...seen].sort(), [...made].sort());
    assert.equal(new Set(seen).size, 7);
    assert.deepEqual(calls, ['get_exchanges', 'get_exchanges', 'get_exchanges']); // 3 + 3 + 1
    const fromOffset = [];
    for await (const item of c.iterateExchanges({ limit: 500, offset: 5 })) fromOffset.push(item.id);
    assert.equal(fromOffset.length, 2);
    let taken = 0;
    for await (const item of c.iterateExchanges({ limit: 2 })) {
      assert.ok(item.id);
      if (++taken === 3) break;
    }
    assert.equal(taken, 3);
  });

  test('a bid created between two pages does not hand the last item of a page out twice', async () => {
    const c = client(ex);
    for (let i = 0; i < 4; i += 1) await c.createBid(goodBid());
    const total = (await c.getExchanges({ limit: 500 })).items.length;
    const seen = [];
    for await (const item of c.iterateExchanges({ limit: 3 })) {
      seen.push(item.id);
      // Newest change first: the new bid pushes every other one a place down, so page 2 at
      // offset 3 starts with the item page 1 ended with.
      if (seen.length === 3) await c.createBid(goodBid());
    }
    assert.equal(seen.length, new Set(seen).size, `repeated: ${seen}`);
    assert.equal(seen.length, total);
  });

  test('a server that ignores offset ends the iteration with an error instead of repeating its first page forever', async () => {
    const c = client(ex, {
      fetch: async (request) => {
        const body = new URLSearchParams(await request.text());
        body.delete('offset');
        return fetch(new Request(request.url, { method: 'POST', headers: request.headers, body }));
      },
    });
    const seen = [];
    const err = await (async () => {
      for await (const item of c.iterateExchanges({ limit: 2 })) {
        seen.push(item.id);
        if (seen.length > 20) return new Error(`looping: ${seen}`);
      }
      return null;
    })().catch((e) => e);
    assert.ok(err instanceof ExchangerError, String(err));
    assert.match(err.message, /offset/);
    assert.deepEqual(seen.length, 2);
  });

  test('partner lists, and errors surface from next()', async () => {
    const c = client(ex);
    const links = [];
    for await (const link of c.iteratePartnerLinks({ limit: 4 })) links.push(link);
    assert.equal(links.length, 6);
    await c.addPartnerPayout({ method_id: 3, account: USDT });
    const payouts = [];
    for await (const p of c.iteratePartnerPayouts()) payouts.push(p);
    assert.ok(payouts.length >= 2);
    await client(ex, { login: 'other', key: 'other-key-123' }).createBid(goodBid({ partner_id: 7 }));
    const px = [];
    for await (const e of c.iteratePartnerExchanges({ limit: 1 })) px.push(e);
    assert.ok(px.length >= 1);
    const nopp = client(ex, { login: 'nopp', key: 'nopp-key-123' });
    await assert.rejects(async () => { for await (const _ of nopp.iteratePartnerLinks()) { /* none */ } }, (err) => err.kind === 'no_partner_program');
    assert.throws(() => c.iterateExchanges({ limit: 501 }), ValidationError);
  });
});
