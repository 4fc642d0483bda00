// Real PHP as the gateway: `php -S 127.0.0.1:<port>` runs tests/merchant/php/router.php, which
// decodes each request as the gateway's PHP does and checks its signature with the seed's own
// code, for every endpoint the client has. Then PHP sends IPN callbacks signed by the seed's
// code, which the client's verifyCallback must accept, and refuse once tampered.
//
// php-cli must be installed (Debian: apt-get install -y php-cli); without it this suite fails.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HERE, SHOP, receiver, rejection, sdk } from './helpers.mjs';

const { MerchantClient, MerchantError, CallbackError } = sdk;
const PHP = process.env.PHP_BINARY || 'php';
const PHP_INI = ['-n', '-d', 'precision=14', '-d', 'serialize_precision=-1', '-d', 'display_errors=0', '-d', 'log_errors=0'];
const phpOk = spawnSync(PHP, ['-n', '-r', 'echo PHP_MAJOR_VERSION;'], { encoding: 'utf8' });
if (phpOk.status !== 0 || phpOk.stdout !== '8') {
  test('php-cli 8 is installed', () => assert.fail(`php-cli 8 not found (${PHP}): apt-get install -y php-cli`));
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** `php -S` on a free port with the router; resolves once it answers. */
async function startPhpGateway(log) {
  const port = await freePort();
  const child = spawn(PHP, [...PHP_INI, '-S', `127.0.0.1:${port}`, join(HERE, 'php', 'router.php')], {
    env: { ...process.env, GATEWAY_API_KEY: SHOP.apiKey, GATEWAY_LOG: log },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}/api2/`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${url}echo`);
      break;
    } catch {
      if (i > 100 || child.exitCode !== null) throw new Error(`php -S did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, stop: () => new Promise((r) => { child.once('exit', r); child.kill(); }) };
}

describe('real PHP accepts the client\'s signatures on every endpoint', () => {
  let dir;
  let log;
  let php;
  let client;
  const logged = () => readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'obmennik-merchant-php-'));
    log = join(dir, 'requests.jsonl');
    writeFileSync(log, '');
    php = await startPhpGateway(log);
    client = new MerchantClient({ baseUrl: php.url, shopId: 522, apiKey: SHOP.apiKey, secretKey: SHOP.secretKey, maxRetries: 0 });
  });
  after(async () => {
    await php?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every method: PHP decodes the request, the seed\'s code verifies its sign, the answer is typed', async () => {
    writeFileSync(log, '');
    const card = { card: '4111111111111111', month: '09', year: '2029', cvv: 123 };
    const calls = [
      ['payment', [{
        uniqID: '544545dg-dgd1445-7777', currID: 86, amount: 500.52, label: '123133-44465451', userID: '17800111',
        userInfo: { ip: '192.168.0.1', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', email: 'user@example.com', phone: '+78005553535', name: 'Test' },
        memo: 'Пополнение средств', statusURL: 'https://shop.example/ipn?x=1&y=2', period: 10, prefer: 'sber',
      }]],
      ['withdraw', [{ uniqID: 'w-1', currID: 93, amount: '600.00', number: '+79063711045', info: 'Сидоров Джон', memo: 'Отправка средств' }]],
      ['withdrawCheck', [{ id: 531636 }]],
      ['acquire', [{ uniqID: 'a-1', currID: 109, amount: 0.1 + 0.2, from: card, statusURL: 'https://shop.example/ipn' }]],
      ['acquireConfirm', [{ id: '1033039', code: '470179' }]],
      ['acquireResend', [{ id: '1033039' }]],
      ['status', [{ id: 1033039 }]],
      ['status', [{ uniqID: '544545dg-dgd1445-7777' }]],
      ['balance', []],
      ['balanceAll', []],
      ['withdrawLimit', []],
      ['dispute', [{ id: 14736918, amount: 200, comment: 'оплачено позже, чек: №5', disputeURL: 'https://shop.example/dispute' }]],
      ['disputeStatus', [{ id: 5237 }]],
      ['echo', [{ param2: 2, param1: 1, key: 'KKKeeey', big: 2n ** 63n - 1n, flag: true, none: null, nested: { a: [1] } }]],
    ];
    const answers = {};
    for (const [method, args] of calls) answers[method] = await client[method](...args);
    const seen = logged();
    assert.deepEqual(seen.map((r) => r.endpoint), [
      'payment', 'withdraw', 'withdraw/check', 'acquire', 'acquire/confirm', 'acquire/resend', 'status', 'status',
      'balance', 'balance_all', 'withdraw/limit', 'dispute', 'dispute/status', 'echo',
    ]);
    for (const r of seen) {
      assert.equal(r.signOk, true, `${r.endpoint}: PHP verified the signature`);
      if (r.endpoint !== 'echo') assert.equal(r.data.shopID, 522, `${r.endpoint}: shopID`);
    }
    // What PHP decoded is what the caller gave: floats stay floats, strings stay strings.
    assert.equal(seen[0].data.amount, 500.52);
    assert.equal(seen[0].data.userInfo.ua, 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)');
    assert.equal(seen[1].data.amount, '600.00');
    assert.equal(seen[3].data.amount, 0.30000000000000004);
    assert.equal(typeof seen[4].data.time, 'number', 'acquire/confirm carries time');
    assert.equal(seen[7].data.uniqID, '544545dg-dgd1445-7777');
    // The answers, typed and mapped.
    assert.equal(answers.payment.page.startsWith('https://traderua.com/'), true);
    assert.equal(answers.withdraw.id, 531636);
    const receipt = answers.withdrawCheck;
    assert.equal(receipt.type, 'png');
    assert.deepEqual([...receipt.bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    const sha1 = createHash('sha1').update(receipt.bytes).digest('hex');
    const check = sdk.buildWithdrawCheck({ baseUrl: php.url, shopId: 522, apiKey: SHOP.apiKey }, { id: 1 });
    const expected = await (await fetch(check.url, check)).json();
    assert.equal(sha1, expected.result.sha1, 'the bytes are the PNG PHP encoded');
    assert.equal(answers.acquire.code_required, true);
    assert.equal(answers.status.statusText, 'Pending');
    assert.deepEqual(answers.balance, { 6: '1610.00', 7: '460.00', 8: '654.46' });
    assert.deepEqual(answers.balanceAll, { RUB: 314021 });
    assert.deepEqual(answers.withdrawLimit.value, { 6: '7337.00', 7: '232733.00' });
    assert.equal(answers.dispute, 5237);
    assert.equal(answers.disputeStatus.operationID, 14736918);
    // echo: PHP's own signing string of what it received (without key) ends with the test key.
    assert.match(answers.echo.tosign, /^9223372036854775807:1:Array::1:2:522:[0-9a-f]{40}:KKKeeey$/);
  });

  test('control: PHP refuses a wrong key and a request altered after signing', async () => {
    const wrong = new MerchantClient({ baseUrl: php.url, shopId: 522, apiKey: 'another-key', maxRetries: 0 });
    const err = await rejection(wrong.balanceAll());
    assert.ok(err instanceof MerchantError);
    assert.equal(err.code, 'sign_wrong');
    assert.equal(err.info, 'Подпись не прошла проверку');
    const request = sdk.buildPayment({ baseUrl: php.url, shopId: 522, apiKey: SHOP.apiKey }, { uniqID: 'x', currID: 86, amount: 100 });
    const altered = request.body.replace('"amount":100', '"amount":1000');
    assert.notEqual(altered, request.body);
    const answer = await (await fetch(request.url, { ...request, body: altered })).json();
    assert.equal(answer.error, 'sign_wrong');
    const intact = await (await fetch(request.url, request)).json();
    assert.equal(intact.error, undefined);
  });
});

describe('real PHP sends IPN callbacks', () => {
  let rx;
  let client;
  const send = (kind, mode, host = '127.0.0.1', secret = SHOP.secretKey) => new Promise((resolve, reject) => {
    execFile(PHP, [...PHP_INI, join(HERE, 'php', 'ipn.php'), rx.url, secret, host, kind, mode], { encoding: 'utf8' }, (err, stdout) => (
      err ? reject(err) : resolve(stdout)));
  });
  before(async () => {
    // The client's gateway is at 127.0.0.1, so callbacks carry the version field "127.0.0.1".
    client = new MerchantClient({ baseUrl: 'http://127.0.0.1:9/api2/', shopId: 522, apiKey: SHOP.apiKey, secretKey: SHOP.secretKey });
    rx = await receiver((raw) => {
      try {
        const cb = client.verifyCallback(raw);
        return [200, `OK ${cb.type} ${cb.id} ${cb.status}`];
      } catch (err) {
        return [400, err instanceof CallbackError ? err.code : `unexpected ${err}`];
      }
    });
  });
  after(() => rx?.close());

  test('accepted: payment and dispute callbacks, escaped and unescaped JSON', async () => {
    assert.equal(await send('payment', 'ok'), '200 OK payment 1033039 3');
    assert.equal(await send('payment', 'unescaped'), '200 OK payment 1033039 3');
    assert.equal(await send('dispute', 'ok'), '200 OK dispute 5237 1');
    const cb = client.verifyCallback(rx.hits[0].raw);
    assert.equal(cb.memo, 'Пополнение / тест');
    assert.equal(cb.rate, 0.30000000000000004);
    assert.match(rx.hits[0].raw, /\\u041f/, 'PHP escaped the Cyrillic, as json_encode does by default');
  });

  test('rejected: tampered, unsigned, old version, other host, wrong secret', async () => {
    assert.equal(await send('payment', 'tampered'), '400 sign_mismatch');
    assert.equal(await send('dispute', 'tampered'), '400 sign_mismatch');
    assert.equal(await send('payment', 'unsigned'), '400 sign_missing');
    assert.equal(await send('payment', 'old'), '400 version_too_old');
    assert.equal(await send('payment', 'ok', 'mychanger.icu'), '400 version_missing');
    assert.equal(await send('payment', 'ok', '127.0.0.1', 'not-the-secret'), '400 sign_mismatch');
  });
});
