// The exchanger's status callbacks are unsigned: confirmBidCallback and
// createBidCallbackHandler must resolve every one against bid_info and never trust it.
// Real callbacks come from the sandbox over HTTP to a node:http receiver.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startExchanger } from '../../www-demo/sandbox/exchanger.mjs';
import {
  ExchangerClient, ExchangerError, CallbackError, confirmBidCallback, createBidCallbackHandler, toNodeListener,
} from '../../pkg/node.mjs';
import { KEYS, LOGIN, KEY, goodBid, countingClient, serve, until } from './helpers.mjs';

describe('confirmBidCallback', () => {
  let ex;
  let client;
  before(async () => {
    ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 });
    client = new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: KEY });
  });
  after(() => ex.close());

  test('accepts the raw body, its bytes, URLSearchParams or an object, and confirms with bid_info', async () => {
    const bid = await client.createBid(goodBid());
    await client.payBid({ hash: bid.hash });
    const raw = `bid_id=${bid.id}&status=payed`;
    for (const body of [raw, Buffer.from(raw), new TextEncoder().encode(raw), new URLSearchParams(raw), { bid_id: Number(bid.id), status: 'payed' }]) {
      const result = await confirmBidCallback(body, client);
      assert.deepEqual([result.bid.id, result.bid.status, result.claimedStatus, result.confirmed], [bid.id, 'payed', 'payed', true]);
      assert.equal(result.bid.hash, bid.hash);
    }
  });

  test('a forged status is not confirmed: the real status is returned', async () => {
    const bid = await client.createBid(goodBid());
    const result = await confirmBidCallback(`bid_id=${bid.id}&status=success`, client);
    assert.deepEqual([result.confirmed, result.claimedStatus, result.bid.status], [false, 'success', 'new']);
  });

  test('a forged bid id, or another login\'s bid, is not found', async () => {
    await assert.rejects(confirmBidCallback('bid_id=987654&status=success', client), (err) => err instanceof ExchangerError && err.kind === 'not_found');
    const theirs = await new ExchangerClient({ baseUrl: ex.url, login: 'other', key: 'other-key-123' }).createBid(goodBid());
    await assert.rejects(confirmBidCallback({ bid_id: theirs.id, status: 'new' }, client), (err) => err.kind === 'not_found');
  });

  test('malformed callbacks are refused without asking the exchanger', async () => {
    const { client: counted, calls } = countingClient(ex);
    for (const body of ['', 'bid_id=abc&status=payed', 'bid_id=5', 'bid_id=5&status=<b>x</b>', 'bid_id=-1&status=new', { bid_id: 5, status: ['x'] }, 'x'.repeat(5000)]) {
      await assert.rejects(confirmBidCallback(body, counted), (err) => {
        assert.ok(err instanceof CallbackError, String(err));
        assert.equal(err.code, 'malformed');
        assert.ok(Array.isArray(err.issues) && err.issues.length > 0);
        return true;
      }, JSON.stringify(body));
    }
    await assert.rejects(confirmBidCallback(42, counted), TypeError);
    assert.deepEqual(calls, []);
  });
});

describe('createBidCallbackHandler with the sandbox posting real callbacks', () => {
  let ex;
  let client;
  let receiver;
  const handed = [];
  const errors = [];
  let failNextOnBid = false;

  before(async () => {
    ex = await startExchanger({ keys: KEYS, tickMs: 0 });
    client = new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: KEY });
    const handler = createBidCallbackHandler({
      client,
      onBid: async (confirmation) => {
        if (failNextOnBid) {
          failNextOnBid = false;
          throw new Error('database down');
        }
        handed.push(confirmation);
      },
      onError: (err) => errors.push(err),
    });
    receiver = await serve(toNodeListener(handler));
  });
  after(async () => {
    await receiver.close();
    await ex.close();
  });

  const post = (body, method = 'POST') => fetch(`${receiver.url}/exchanger/callback`, {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: method === 'POST' ? body : undefined,
  });

  test('each status change reaches onBid once, confirmed; replays do not', async () => {
    const bid = await client.createBid(goodBid({ callback_url: `${receiver.url}/exchanger/callback` }));
    await client.payBid({ hash: bid.hash }); // the sandbox POSTs status=payed, then 3 ticks → success
    await client.test();
    await client.test();
    await client.test();
    await until(() => handed.filter((h) => h.bid.id === bid.id).length >= 2);
    const mine = handed.filter((h) => h.bid.id === bid.id);
    assert.deepEqual(mine.map((h) => h.bid.status), ['payed', 'success']);
    assert.ok(mine.every((h) => h.confirmed));
    const sent = ex.callbacks().filter((c) => c.bidId === Number(bid.id));
    assert.deepEqual(sent.map((c) => [c.body, c.status]), [[`bid_id=${bid.id}&status=payed`, 200], [`bid_id=${bid.id}&status=success`, 200]]);

    // The same callbacks again (a replay): answered, but nothing new is handed on.
    for (const c of sent) assert.equal((await post(c.body)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(handed.filter((h) => h.bid.id === bid.id).length, 2);
  });

  test('a forged callback hands on the real status, once, and never the claimed one', async () => {
    const bid = await client.createBid(goodBid());
    const before = handed.length;
    assert.equal((await post(`bid_id=${bid.id}&status=success`)).status, 200);
    assert.equal((await post(`bid_id=${bid.id}&status=cancel`)).status, 200);
    await until(() => handed.length > before);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const got = handed.slice(before);
    assert.equal(got.length, 1, 'one (bid, status) pair: the real one');
    assert.deepEqual([got[0].bid.status, got[0].confirmed], ['new', false]);
    assert.equal(ex.bids().find((b) => b.id === Number(bid.id)).status, 'new', 'nothing changed the bid');

    const errorsBefore = errors.length;
    assert.equal((await post('bid_id=987654&status=success')).status, 200);
    await until(() => errors.length > errorsBefore);
    assert.ok(errors.at(-1) instanceof ExchangerError && errors.at(-1).kind === 'not_found');
  });

  test('malformed bodies get 400, other methods 405, oversized 413', async () => {
    const before = handed.length;
    assert.equal((await post('bid_id=1 OR 1=1&status=success')).status, 400);
    assert.equal((await post('status=success')).status, 400);
    assert.equal((await post('', 'GET')).status, 405);
    assert.equal((await post(`bid_id=1&status=new&pad=${'x'.repeat(5000)}`)).status, 413);
    assert.equal(handed.length, before);
  });

  test('when onBid throws, onError hears of it and a later callback hands the bid on again', async () => {
    const bid = await client.createBid(goodBid());
    await client.cancelBid({ hash: bid.hash });
    const before = handed.length;
    failNextOnBid = true;
    const errorsBefore = errors.length;
    await post(`bid_id=${bid.id}&status=cancel`);
    await until(() => errors.length > errorsBefore);
    assert.equal(errors.at(-1).message, 'database down');
    await post(`bid_id=${bid.id}&status=cancel`);
    await until(() => handed.length > before);
    assert.deepEqual([handed.at(-1).bid.id, handed.at(-1).bid.status, handed.at(-1).confirmed], [bid.id, 'cancel', true]);
  });
});

test('a Workers-style context keeps the confirmation alive with waitUntil', async () => {
  const ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 });
  try {
    const client = new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: KEY });
    const bid = await client.createBid(goodBid());
    const handed = [];
    const handler = createBidCallbackHandler({ client, onBid: (c) => { handed.push(c); } });
    const pending = [];
    const response = await handler(
      new Request('https://shop.example/cb', { method: 'POST', body: `bid_id=${bid.id}&status=new`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      { waitUntil: (promise) => pending.push(promise) },
    );
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'OK');
    assert.equal(pending.length, 1);
    await Promise.all(pending);
    assert.deepEqual(handed.map((c) => [c.bid.id, c.confirmed]), [[bid.id, true]]);
    assert.throws(() => createBidCallbackHandler({ client, onBid: 'x' }), TypeError);
    assert.throws(() => createBidCallbackHandler({ onBid: () => {} }), TypeError);
  } finally {
    await ex.close();
  }
});

describe('createBidCallbackHandler under a flood of callbacks', () => {
  let ex;
  let client;
  before(async () => {
    ex = await startExchanger({ keys: KEYS, tickMs: 3_600_000 });
    client = new ExchangerClient({ baseUrl: ex.url, login: LOGIN, key: KEY });
  });
  after(() => ex.close());

  const callback = (body) => new Request('https://shop.example/cb', {
    method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

  /** A client whose answers wait for `release()`, counting calls and the most at once. */
  function gatedClient() {
    let open;
    const gate = new Promise((resolve) => { open = resolve; });
    const seen = { calls: 0, inFlight: 0, most: 0, answered: 0 };
    const gated = new ExchangerClient({
      baseUrl: ex.url, login: LOGIN, key: KEY, maxRetries: 0,
      fetch: async (request) => {
        seen.calls += 1;
        seen.inFlight += 1;
        seen.most = Math.max(seen.most, seen.inFlight);
        try {
          const response = await fetch(request);
          seen.answered += 1;
          await gate;
          return response;
        } finally {
          seen.inFlight -= 1;
        }
      },
    });
    return { gated, seen, release: () => open() };
  }

  test('repeats of one callback while its bid is being read cost at most one more bid_info', async () => {
    const bid = await client.createBid(goodBid());
    const { gated, seen, release } = gatedClient();
    const handed = [];
    const handler = createBidCallbackHandler({ client: gated, onBid: (c) => { handed.push(c); }, onError: () => {} });
    const pending = [];
    const context = { waitUntil: (p) => pending.push(p) };
    const answers = await Promise.all(Array.from({ length: 200 }, () => handler(callback(`bid_id=${bid.id}&status=payed`), context)));
    assert.ok(answers.every((r) => r.status === 200));
    release();
    await Promise.all(pending);
    assert.ok(seen.calls <= 2, `${seen.calls} bid_info calls for 200 copies of one callback`);
    assert.deepEqual(handed.map((c) => [c.bid.id, c.bid.status]), [[bid.id, 'new']]);
  });

  test('a callback that arrives while its bid is being read is confirmed again afterwards', async () => {
    const bid = await client.createBid(goodBid());
    const { gated, seen, release } = gatedClient();
    const handed = [];
    const handler = createBidCallbackHandler({ client: gated, onBid: (c) => { handed.push(c.bid.status); } });
    const pending = [];
    const context = { waitUntil: (p) => pending.push(p) };
    await handler(callback(`bid_id=${bid.id}&status=new`), context);
    await until(() => seen.answered === 1); // the exchanger answered 'new'; the client waits at the gate
    await client.payBid({ hash: bid.hash });
    await handler(callback(`bid_id=${bid.id}&status=payed`), context);
    release();
    await Promise.all(pending);
    assert.deepEqual(handed, ['new', 'payed']);
  });

  test('confirmations run a few at a time, and a full queue answers 503', async () => {
    const { gated, seen, release } = gatedClient();
    const errors = [];
    const handler = createBidCallbackHandler({ client: gated, onBid: () => {}, onError: (e) => errors.push(e) });
    const pending = [];
    const context = { waitUntil: (p) => pending.push(p) };
    const statuses = [];
    for (let i = 0; i < 1100; i++) statuses.push((await handler(callback(`bid_id=${800000 + i}&status=payed`), context)).status);
    const accepted = statuses.filter((s) => s === 200).length;
    assert.ok(accepted < 1100 && statuses.slice(accepted).every((s) => s === 503), `answers: ${accepted} x 200, then ${1100 - accepted} x 503`);
    const busy = await handler(callback('bid_id=5&status=payed'), context);
    assert.equal(busy.status, 503);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(seen.most <= 8, `${seen.most} bid_info calls at once`);
    release();
    await Promise.all(pending);
    assert.equal(seen.calls, accepted);
    assert.equal(errors.length, accepted);
    assert.ok(seen.most <= 8, `${seen.most} bid_info calls at once`);
    // Drained: callbacks are taken again.
    assert.equal((await handler(callback('bid_id=6&status=payed'), context)).status, 200);
  });
});
