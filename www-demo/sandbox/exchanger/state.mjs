// The sandbox's in-memory "database": directions, bids and their lifecycle, status callbacks and
// the partner programme. Everything is capped so a long-running demo keeps bounded memory.

import http from 'node:http';
import https from 'node:https';
import { randomBytes, randomInt } from 'node:crypto';
import { CURRENCIES, DIRECTIONS, HOSTILE_DIRECTION, PARTNER } from './catalog.mjs';
import { courses } from './calc.mjs';

const MAX_BIDS = 5000;
const MAX_CALLBACK_LOG = 1000;
const MAX_PAYOUTS = 1000;
/** A paid bid becomes `success` after this many ticks. */
const TICKS_TO_SUCCESS = 3;
/** As the real server: one attempt, 20 s in total, no retry, no signature. */
const CALLBACK_TIMEOUT_MS = 20_000;
/** Deleting a bid (its `delete` status) sends no callback: WIRE.md "except archiving/deletion". */
const SILENT_STATUSES = new Set(['delete']);
const CALLBACK_USER_AGENT = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:65.0) Gecko/20100101 Firefox/65.0';
/**
 * Statuses in which a bid can still be paid or cancelled (the script's status settings); outside
 * of them bid_info reports api_actions.type 'finished'.
 */
export const PAYABLE = new Set(['new', 'techpay', 'coldpay']);

// WordPress writes bid dates in the site's local time (here Moscow, UTC+3) while PHP runs in
// UTC, so `time = strtotime(date)` comes out 3 hours ahead of the true Unix time. The
// start_time/end_time filters are skewed the same way, so they agree with the `time` values.
const SITE_TZ_OFFSET_S = 3 * 3600;
export const siteDate = (ms) => new Date(ms + SITE_TZ_OFFSET_S * 1000).toISOString().slice(0, 19).replace('T', ' ');
export const phpTime = (ms) => Math.floor(ms / 1000) + SITE_TZ_OFFSET_S;

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const randomChars = (alphabet, n) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** A fresh deposit address per bid, as crypto merchants issue them. */
function depositAddress(kind) {
  switch (kind) {
    case 'btc': return `bc1q${randomChars(BECH32, 38)}`;
    case 'ltc': return `ltc1q${randomChars(BECH32, 38)}`;
    case 'eth': return `0x${randomBytes(20).toString('hex')}`;
    default: return `T${randomChars(BASE58, 33)}`;
  }
}

const pushCapped = (list, item, cap) => {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
};

export class Store {
  constructor({ hostile }) {
    this.currencies = new Map(CURRENCIES.map((c) => [c.id, c]));
    const dirs = hostile ? [...DIRECTIONS, HOSTILE_DIRECTION] : DIRECTIONS;
    this.directions = new Map(dirs.map((d) => {
      const giveCur = this.currencies.get(d.give);
      const getCur = this.currencies.get(d.get);
      return [d.id, { ...d, giveCur, getCur, name: `${giveCur.slug}_to_${getCur.slug}`, ...courses(giveCur, getCur, d.margin) }];
    }));
    this.maintenance = false;
    this.bids = new Map(); // id → bid, in creation order (oldest evicted first)
    this.byHash = new Map();
    this.apiIds = new Map(); // `${login}\n${api_id}` → bid id: api_id is unique per login
    this.paid = new Set(); // ids of bids in `payed`, counting ticks towards `success`
    this.nextBidId = 1001;
    this.callbackLog = [];
    this.inflight = new Set();
    this.payouts = [];
    this.nextPayoutId = 1;
    this.partners = new Map(); // partner id → { spent, links }
  }

  // ---- bids ----

  /** Stores a new bid (status `new`) and returns it. */
  createBid(fields) {
    const now = Date.now();
    const dir = this.directions.get(fields.directionId);
    const bid = {
      id: this.nextBidId++,
      hash: randomBytes(16).toString('hex'),
      status: 'new',
      createdAt: now,
      editedAt: now,
      history: [{ at: now, status: 'new' }],
      ticks: 0,
      userHash: randomBytes(16).toString('hex'),
      address: dir.giveCur.crypto ? depositAddress(dir.giveCur.crypto.kind) : '',
      ...fields,
    };
    this.bids.set(bid.id, bid);
    this.byHash.set(bid.hash, bid);
    if (bid.apiId) this.apiIds.set(`${bid.apiLogin}\n${bid.apiId}`, bid.id);
    if (this.bids.size > MAX_BIDS) this.#evict(this.bids.values().next().value);
    return bid;
  }

  #evict(bid) {
    this.bids.delete(bid.id);
    this.byHash.delete(bid.hash);
    this.paid.delete(bid.id);
    if (bid.apiId) this.apiIds.delete(`${bid.apiLogin}\n${bid.apiId}`);
  }

  apiIdTaken(login, apiId) {
    return this.apiIds.has(`${login}\n${apiId}`);
  }

  /**
   * Moves a bid to `status` and POSTs the status callback (none for a deletion). The returned
   * promise settles when the callback attempt is over (the real server calls curl inside the
   * request that changed the status, so API answers wait for it); it never rejects.
   */
  setStatus(bid, status) {
    if (bid.status === status) return Promise.resolve();
    const now = Date.now();
    bid.status = status;
    bid.editedAt = now;
    bid.ticks = 0;
    bid.history.push({ at: now, status });
    if (bid.history.length > 50) bid.history.shift();
    if (status === 'payed') this.paid.add(bid.id); else this.paid.delete(bid.id);
    return this.#sendCallback(bid, status);
  }

  /** One tick of the exchanger's cron: paid bids complete after TICKS_TO_SUCCESS ticks. */
  tick() {
    for (const id of this.paid) {
      const bid = this.bids.get(id);
      if (++bid.ticks >= TICKS_TO_SUCCESS) this.setStatus(bid, 'success');
    }
  }

  #sendCallback(bid, status) {
    if (!bid.callbackUrl || SILENT_STATUSES.has(status)) return Promise.resolve();
    const body = new URLSearchParams({ bid_id: String(bid.id), status }).toString();
    const entry = { bidId: bid.id, url: bid.callbackUrl, body, status: 0, at: Date.now() };
    return new Promise((resolve) => {
      let target;
      try {
        target = new URL(bid.callbackUrl);
      } catch {
        target = null;
      }
      if (!target || !/^https?:$/.test(target.protocol)) {
        entry.error = 'unsupported callback url';
        pushCapped(this.callbackLog, entry, MAX_CALLBACK_LOG);
        resolve();
        return;
      }
      let done = false;
      const finish = (error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.inflight.delete(req);
        if (error) entry.error = error.message;
        pushCapped(this.callbackLog, entry, MAX_CALLBACK_LOG);
        resolve();
      };
      const req = (target.protocol === 'https:' ? https : http).request(target, {
        method: 'POST',
        rejectUnauthorized: false, // the script disables certificate checks
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': CALLBACK_USER_AGENT,
        },
      }, (res) => {
        entry.status = res.statusCode;
        res.resume(); // the answer is ignored, only read to free the socket
        res.on('end', () => finish());
        res.on('error', finish);
      });
      const timer = setTimeout(() => req.destroy(new Error('timeout')), CALLBACK_TIMEOUT_MS);
      req.on('error', finish);
      this.inflight.add(req);
      req.end(body);
    });
  }

  /** Aborts callbacks still in flight (used by close()). */
  abortCallbacks() {
    for (const req of this.inflight) req.destroy(new Error('sandbox closed'));
  }

  // ---- partner programme ----

  #partner(pid) {
    let p = this.partners.get(pid);
    if (!p) {
      const now = Date.now();
      const browsers = ['Chrome 124', 'Firefox 125', 'Safari 17', 'Chrome 123', 'Edge 124', 'Opera 109'];
      const referrers = ['https://bestchange.ru/', 'https://t.me/', 'https://www.google.com/', '', 'https://vc.ru/', 'https://yandex.ru/'];
      p = {
        spent: 0,
        links: browsers.map((browser, i) => ({
          at: now - (i + 1) * 5.5 * 3600 * 1000,
          browser,
          ip: `203.0.113.${10 + i * 7}`,
          referrer: referrers[i],
          userHash: randomBytes(16).toString('hex'),
          queryString: `rid=${pid}${i % 2 ? '&utm_source=telegram' : ''}`,
        })),
      };
      this.partners.set(pid, p);
      // One payout from before the sandbox started, already paid.
      pushCapped(this.payouts, { id: this.nextPayoutId++, partnerId: pid, at: now - 9 * 86400 * 1000,
        methodId: 3, account: 'TJ5usJLLwjwn7Pw3TPbdzreG7dvgKzfQ5y', payAmount: '14.93', payCode: 'USDT',
        originalAmount: '15', status: '1' }, MAX_PAYOUTS);
    }
    return p;
  }

  partnerLinks(pid) {
    return this.#partner(pid).links;
  }

  partnerBalance(pid) {
    const p = this.#partner(pid);
    let earned = 0;
    for (const bid of this.bids.values()) if (bid.refId === pid && bid.status === 'success') earned += bid.partnerReward;
    return Math.round((PARTNER.startBalance + earned - p.spent) * 100) / 100;
  }

  partnerPayouts(pid) {
    this.#partner(pid);
    return this.payouts.filter((p) => p.partnerId === pid);
  }

  addPayout(pid, payout) {
    const p = this.#partner(pid);
    p.spent += Number(payout.originalAmount);
    const item = { id: this.nextPayoutId++, partnerId: pid, at: Date.now(), status: '0', ...payout };
    pushCapped(this.payouts, item, MAX_PAYOUTS);
    return item;
  }

  // ---- snapshots for assertions ----

  snapshotBids() {
    return [...this.bids.values()].map((b) => structuredClone(b));
  }

  snapshotCallbacks() {
    return this.callbackLog.map((c) => ({ ...c }));
  }
}
