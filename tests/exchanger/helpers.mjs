// Shared by the exchanger and proxy suites: the sandbox's keys and valid bids, a client that
// counts what it sends, and small HTTP helpers. Not a test file itself.
import http from 'node:http';
import { ExchangerClient } from '../../pkg/node.mjs';

/** Distinctive credentials, so a test can prove they never appear in an error. */
export const LOGIN = 'login-4f1c9a';
export const KEY = 'key-secret-8d2e7b51';

export const KEYS = [
  { login: LOGIN, key: KEY, userId: 1, partnerId: 7 },
  { login: 'other', key: 'other-key-123', userId: 2 },
  { login: 'blocked', key: 'blocked-key-123', ips: ['10.9.9.9'] },
  { login: 'limited', key: 'limited-key-123', methods: ['test', 'get_directions'] },
  { login: 'nopp', key: 'nopp-key-123', partnerId: null },
];

export const CARD = '2202 2000 1111 2222';
export const BTC = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
export const USDT = 'TJ5usJLLwjwn7Pw3TPbdzreG7dvgKzfQ5y';

/** A create_bid that passes the sandbox's checks on direction 2 (Sberbank RUB → BTC). */
export const goodBid = (extra = {}) => ({
  direction_id: 2, calc_amount: 10000, account1: CARD, cfgive8: 'IVAN IVANOV', account2: BTC,
  cf1: 'Ivan', cf6: 'ivan@example.com', ...extra,
});

/**
 * A client of the sandbox whose fetch records every call: `calls` lists the wire methods
 * in order (read from the URL), so a test can prove what was and was not sent.
 */
export function countingClient(ex, options = {}) {
  const calls = [];
  const client = new ExchangerClient({
    baseUrl: ex.url,
    login: LOGIN,
    key: KEY,
    fetch: (request) => {
      calls.push(new URL(request.url).pathname.split('/').filter(Boolean).pop());
      return fetch(request);
    },
    ...options,
  });
  return { client, calls };
}

/** Starts `listener` on 127.0.0.1 and resolves with its base URL and a close(). */
export async function serve(listener) {
  const server = http.createServer(listener);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

/** Resolves when `check()` is true, polling every 10 ms, or rejects after `ms`. */
export async function until(check, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
