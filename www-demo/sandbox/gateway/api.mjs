// The gateway's business side: shops, operations, disputes, the api2 endpoints, status
// progression and IPN. HTTP, fault injection and the CLI live in ../gateway.mjs.
//
// Requests arrive here already decoded the PHP way (see ../php-sign.mjs), so every check
// below sees what the real PHP server sees. Money is kept in integer cents.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { parsePhpJson, phpJsonEncode, phpSign, phpSigningString, phpToString } from '../php-sign.mjs';
import { CURRENCIES, DIRECTIONS, checkPayoutNumber, depositRequisite } from './directions.mjs';
import { IpnSender } from './ipn.mjs';
import { receiptPng } from './receipt.mjs';

// Amounts (in cents) that choose an operation's fate; see the table in ../gateway.mjs.
const TRIGGERS = {
  requisitesError: 33300, // acquire: 0 -> 3 (requisites error)
  expire: 44400, // payment, withdraw: 0 -> 4 Expired
  lateApprove: 44500, // payment: 0 -> 4 Expired -> 3 Approved (a late payment)
  cancel: 55500, // payment, withdraw: -> 5; acquire: -> 10; dispute: 1 -> 6 -> 5
  hold: 77700, // never moves on its own: drive it with setStatus
};
const WRONG_CODE = '000000'; // acquire/confirm with this code ends in 8 (wrong code)

const STATUS_TEXT = {
  payment: { 0: 'Pending', 3: 'Approved', 4: 'Expired', 5: 'Canceled' },
  withdraw: { 0: 'Pending', 3: 'Approved', 4: 'Expired', 5: 'Canceled' },
  // The seed names e-com statuses only in Russian; these English texts are the sandbox's.
  acquire: {
    0: 'Created', 2: 'Requisites received', 3: 'Requisites error', 4: 'Waiting for code',
    7: 'Code received', 8: 'Wrong code', 9: 'Code accepted', 10: 'Cancelled', 11: 'Completed',
  },
  // 1 and 6 are the seed's; the final 3 / 5 texts are the sandbox's.
  dispute: { 1: 'Waiting', 6: 'Correcting', 3: 'Approved', 5: 'Canceled' },
};
const APPROVED = { payment: 3, withdraw: 3, acquire: 11 };

// Values the seed's own examples fill with spaces ("Пополнение средств", "Сидоров Джон",
// a browser user agent); every other parameter with a space is param_wrong.
const FREE_TEXT = new Set(['memo', 'info', 'comment', 'userInfo']);

/** The shop used when `shops` is not given (its keys are public sandbox values). */
export const DEFAULT_SHOP = { shopID: 522, apiKey: 'sandbox-api-key', secretKey: 'sandbox-secret-key' };
const DEFAULT_BALANCE = 1000000; // per currency, except RUB below (the seed's balance_all example)
const DEFAULT_DAILY_LIMIT = 6000000; // per payout currID (the seed's withdraw/limit example)
const DEFAULT_AMOUNT_LIMITS = { min: 100, max: 500000 };

class ApiError extends Error {
  constructor(code, info) {
    super(code);
    this.code = code;
    this.info = info;
  }
}

const fail = (code, info) => {
  throw new ApiError(code, info);
};

const cents = (units) => Math.round(Number(units) * 100);
const money = (c) => (c / 100).toFixed(2); // "153.00", as in the seed's status objects
// An amount is numeric the way PHP's is_numeric() sees it: an int, a finite float or a decimal string.
function parseCents(value) {
  const numeric = typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))
    || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
  if (!numeric) fail('param_wrong', 'Сумма должна быть числом');
  return cents(value);
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function makeShop(config) {
  const shop = { ...DEFAULT_SHOP, ...config };
  const balances = { ...Object.fromEntries(CURRENCIES.map((c) => [c, DEFAULT_BALANCE])), RUB: 314021, ...config.balances };
  return {
    key: String(shop.shopID),
    shopID: shop.shopID,
    apiKey: shop.apiKey,
    secretKey: shop.secretKey,
    statusURL: shop.statusURL,
    canWithdraw: shop.canWithdraw ?? true, // false: the key lacks the payout flag -> invalid_hash
    currIDs: new Set(shop.currIDs ?? DIRECTIONS.keys()),
    noCards: new Set(shop.noCards ?? []), // currIDs with no free requisites -> no_cards
    balances: Object.fromEntries(Object.entries(balances).map(([c, v]) => [c, cents(v)])),
    dailyLimit: (currID) => cents(shop.dailyLimit?.[currID] ?? DEFAULT_DAILY_LIMIT),
    hits: [], // request times for the rate limit
  };
}

export class GatewayApi {
  constructor(options) {
    this.options = options;
    this.shops = new Map((options.shops ?? [DEFAULT_SHOP]).map((s) => [String(s.shopID), makeShop(s)]));
    this.records = new Map(); // "op:<id>" / "dispute:<id>" -> record, in creation order
    this.uniq = new Map(); // "<shop>|deposit|<uniqID>" and "<shop>|withdraw|<uniqID>" -> record
    this.nextOperationId = 1000001;
    this.nextDisputeId = 5001;
    this.timers = new Set();
    this.closed = false;
    this.origin = '';
    this.ipn = new IpnSender({
      retryMs: options.callbackRetryMs,
      maxAttempts: options.callbackMaxAttempts,
      timeoutMs: options.callbackTimeoutMs,
    });
  }

  /** One api2 call: endpoint name ("payment", "withdraw/check", ...) and decoded data. */
  handle(endpoint, data) {
    try {
      if (endpoint === 'echo') return this.echo(data);
      if (!isObject(data) || Object.keys(data).length === 0) fail('data_wrong', 'Неверный формат данных при отправке');
      this.checkSpaces(data);
      const shop = this.authenticate(data);
      return ENDPOINTS[endpoint].call(this, shop, data);
    } catch (err) {
      if (err instanceof ApiError) return { error: err.code, info: err.info };
      throw err;
    }
  }

  // --- request checks -------------------------------------------------------------

  checkSpaces(data) {
    for (const [name, value] of Object.entries(data)) {
      if (FREE_TEXT.has(name) || typeof value === 'object') continue;
      if (phpToString(value).includes(' ')) fail('param_wrong', `Параметр ${name} содержит пробел`);
    }
  }

  authenticate(data) {
    const shop = typeof data.shopID !== 'object' && this.shops.get(phpToString(data.shopID));
    if (!shop) fail('shopID_wrong', 'Мерчанта с таким shopID нет');
    const now = Date.now();
    shop.hits = shop.hits.filter((t) => now - t < 1000);
    if (shop.hits.length >= this.options.rateLimitPerSecond) fail('rate_limit', 'Превышено количество запросов в секунду');
    shop.hits.push(now);
    const expected = Buffer.from(phpSign(data, shop.apiKey));
    const given = Buffer.from(typeof data.sign === 'string' ? data.sign : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      fail('sign_wrong', 'Подпись не прошла проверку');
    }
    return shop;
  }

  // A scalar parameter as PHP would read it into a string; an array where a value belongs is param_wrong.
  scalar(data, name) {
    const value = data[name];
    if (typeof value === 'object' && value !== null) fail('param_wrong', `Неверный формат параметра ${name}`);
    return phpToString(value);
  }

  direction(shop, data, kind) {
    const raw = this.scalar(data, 'currID');
    const dir = /^\d+$/.test(raw) ? DIRECTIONS.get(Number(raw)) : undefined;
    if (!dir || !dir.ops[kind] || !shop.currIDs.has(dir.currID)) {
      fail('currID_wrong', 'Такой платежной системы нет, или мерчант не связан с ней');
    }
    return dir;
  }

  amount(data, currID) {
    const amount = parseCents(data.amount);
    const { min, max } = this.options.amountLimits?.[currID] ?? DEFAULT_AMOUNT_LIMITS;
    if (amount < cents(min)) fail('amount_small', `Сумма ниже допустимой (${min})`);
    if (amount > cents(max)) fail('amount_big', `Сумма выше допустимой (${max})`);
    return amount;
  }

  statusURL(shop, data) {
    const url = this.scalar(data, 'statusURL') || shop.statusURL;
    if (!url || !isHttpUrl(url)) fail('statusURL_wrong', 'Урл страницы обработки не настроен и не указан в запросе');
    return url;
  }

  // payment and acquire share one uniqID namespace (deposits), withdraw has its own.
  uniqID(shop, data, space, usedCode) {
    const uniqID = this.scalar(data, 'uniqID');
    if (!uniqID) fail('uniqID_empty', 'Не отправлен ID заявки');
    if (this.uniq.has(`${shop.key}|${space}|${uniqID}`)) fail(usedCode, 'ID заявки уже есть в системе');
    return uniqID;
  }

  operation(shop, data, kinds) {
    const id = this.scalar(data, 'id');
    if (!id) fail('id_empty', 'Не задано значение ID заявки');
    const op = this.records.get(`op:${id}`);
    if (!op || op.shopID !== shop.key || !kinds.includes(op.kind)) fail('id_wrong', 'Указанный ID заявки не существует');
    return op;
  }

  // --- records and their life -----------------------------------------------------

  createOperation(kind, shop, data, fields) {
    const op = {
      kind,
      id: this.nextOperationId++,
      shopID: shop.key,
      label: this.scalar(data, 'label'),
      memo: this.scalar(data, 'memo'),
      info: '',
      status: 0,
      day: new Date().toDateString(), // the daily payout limit resets at local midnight
      createdAt: new Date().toISOString(),
      plan: [],
      ...fields,
    };
    this.records.set(`op:${op.id}`, op);
    this.uniq.set(`${shop.key}|${kind === 'withdraw' ? 'withdraw' : 'deposit'}|${op.uniqID}`, op);
    this.moveBalance(op, this.balanceEffect(op)); // a payout reserves its amount at once
    return op;
  }

  // What an operation in its current status does to the shop's balance: a payout holds
  // its amount unless it failed (4, 5); a deposit adds its amount once approved.
  balanceEffect(op) {
    if (op.kind === 'withdraw') return op.status === 4 || op.status === 5 ? 0 : -op.cents;
    return op.status === APPROVED[op.kind] ? op.cents : 0;
  }

  // Apply a change to an operation and move the shop's balance by the difference it makes.
  settle(op, change) {
    const before = this.balanceEffect(op);
    change();
    this.moveBalance(op, this.balanceEffect(op) - before);
  }

  moveBalance(op, delta) {
    const shop = this.shops.get(op.shopID);
    shop.balances[op.curr] = (shop.balances[op.curr] ?? 0) + delta;
  }

  // Walk `record.plan` one status per tickMs.
  schedule(record) {
    if (this.closed || record.plan.length === 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      record.timer = undefined;
      this.setRecordStatus(record, record.plan.shift());
      this.schedule(record);
    }, this.options.tickMs);
    record.timer = timer;
    this.timers.add(timer);
  }

  stopPlan(record) {
    clearTimeout(record.timer);
    this.timers.delete(record.timer);
    record.plan = [];
  }

  setRecordStatus(record, status) {
    if (record.kind === 'dispute') {
      record.status = status;
      this.notify(record);
      if (status === 3) this.approveDispute(record);
      return;
    }
    this.settle(record, () => {
      record.status = status;
    });
    this.notify(record);
  }

  // An approved dispute settles its operation as approved, for the disputed amount.
  approveDispute(dispute) {
    const op = this.records.get(`op:${dispute.operationID}`);
    this.stopPlan(op);
    this.settle(op, () => {
      op.cents = dispute.cents;
      op.status = APPROVED[op.kind];
    });
    this.notify(op);
  }

  /** gw.setStatus(): force a status (and its balance effect), stop the plan, send the IPN. */
  forceStatus(id, status) {
    const record = this.records.get(`op:${id}`) ?? this.records.get(`dispute:${id}`);
    if (!record) throw new Error(`no operation or dispute ${id}`);
    if (!(status in STATUS_TEXT[record.kind])) {
      throw new Error(`status ${status} is not one of ${record.kind}'s: ${Object.keys(STATUS_TEXT[record.kind]).join(', ')}`);
    }
    this.stopPlan(record);
    this.setRecordStatus(record, Number(status));
    return this.snapshot(record);
  }

  statusObject(op) {
    return {
      // The seed's acquire/confirm example answers with type "payment": e-com is a deposit.
      type: op.kind === 'withdraw' ? 'withdraw' : 'payment',
      id: op.id,
      currID: op.currID,
      curr: op.curr,
      amount: money(op.cents),
      label: op.label,
      memo: op.memo,
      status: op.status,
      statusText: STATUS_TEXT[op.kind][op.status],
      info: op.info,
    };
  }

  disputeObject(dispute) {
    const op = this.records.get(`op:${dispute.operationID}`);
    return {
      id: dispute.id,
      amount: money(dispute.cents),
      comment: dispute.comment,
      currID: op.currID,
      curr: op.curr,
      status: dispute.status,
      statusText: STATUS_TEXT.dispute[dispute.status],
      operationID: op.id,
      operationAmount: money(op.cents),
      operationLabel: op.label,
      operationStatus: op.status,
    };
  }

  // The IPN body is signed over exactly what it serialises: sign what PHP will decode.
  notify(record) {
    const shop = this.shops.get(record.shopID);
    const url = record.kind === 'dispute' ? record.disputeURL || shop.statusURL : record.statusURL;
    if (!url || this.closed) return; // a dispute with no disputeURL and no shop statusURL has nowhere to go
    const object = record.kind === 'dispute' ? { type: 'dispute', ...this.disputeObject(record) } : this.statusObject(record);
    const unsigned = phpJsonEncode({
      [this.options.versionKey]: this.options.version,
      timeStamp: Math.floor(Date.now() / 1000),
      shopID: shop.shopID,
      ...object,
    });
    const sign = phpSign(parsePhpJson(unsigned), shop.secretKey);
    this.ipn.send(url, `${unsigned.slice(0, -1)},"sign":${phpJsonEncode(sign)}}`);
  }

  snapshot(record) {
    const shopID = this.shops.get(record.shopID).shopID;
    if (record.kind === 'dispute') {
      return { kind: 'dispute', shopID, ...this.disputeObject(record), disputeURL: record.disputeURL, createdAt: record.createdAt };
    }
    const { kind, uniqID, number, statusURL, createdAt } = record;
    return { kind, shopID, uniqID, ...this.statusObject(record), number, statusURL, createdAt };
  }

  snapshots() {
    return [...this.records.values()].map((r) => this.snapshot(r));
  }

  lookupPage(id, secret) {
    const op = this.records.get(`op:${id}`);
    return op?.kind === 'payment' && op.secret === secret ? op : undefined;
  }

  async close() {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.ipn.close();
  }

  // --- endpoints ------------------------------------------------------------------

  echo(data) {
    const payload = isObject(data) ? data : [];
    if (!isObject(data) || !('key' in data)) return { payload };
    const { key, ...signed } = data;
    const tosign = phpSigningString(signed, phpToString(key));
    return { payload, tosign, sign: phpSign(signed, phpToString(key)) };
  }

  payment(shop, data) {
    const uniqID = this.uniqID(shop, data, 'deposit', 'uniqID_empty');
    const dir = this.direction(shop, data, 'payment');
    const amount = this.amount(data, dir.currID);
    const statusURL = this.statusURL(shop, data);
    // The seed: "prefer" may be mandatory for some directions, "now for UZS".
    if (dir.curr === 'UZS' && !this.scalar(data, 'prefer')) fail('param_wrong', 'Параметр prefer обязателен для UZS');
    if (shop.noCards.has(dir.currID)) {
      if (dir.requisite === 'phone') fail('no_phonenumbers', 'Нет свободных номеров телефонов');
      fail('no_cards', 'Нет свободных карт для пополнения');
    }
    const op = this.createOperation('payment', shop, data, {
      uniqID, currID: dir.currID, curr: dir.curr, cents: amount, statusURL, secret: randomBytes(16).toString('hex'),
    });
    const { number, holder } = depositRequisite(dir, op.id);
    op.number = number;
    op.plan = { [TRIGGERS.expire]: [4], [TRIGGERS.lateApprove]: [4, 3], [TRIGGERS.cancel]: [5], [TRIGGERS.hold]: [] }[amount] ?? [3];
    this.schedule(op);
    const page = `${this.origin}/pay/${op.id}?secret=${op.secret}`;
    const answer = { id: op.id, currID: dir.currID, curr: dir.curr, amount: amount / 100, number, info: holder, page, card: number, fio: holder };
    if (!dir.sbp) return answer;
    return { ...answer, tel: number, bank: 'sberbank', bankTitle: 'Сбербанк', paymentLink: `${page}&sberpay=1` };
  }

  withdraw(shop, data) {
    if (!shop.canWithdraw) fail('invalid_hash', 'У API ключа нет прав для этой операции');
    const uniqID = this.uniqID(shop, data, 'withdraw', 'uniqID_used2');
    const dir = this.direction(shop, data, 'withdraw');
    const amount = this.amount(data, dir.currID);
    const statusURL = this.statusURL(shop, data);
    const number = this.scalar(data, 'number');
    const numberError = checkPayoutNumber(dir, number);
    if (numberError) fail(numberError, 'Неверные данные для вывода');
    if (this.usedToday(shop, dir.currID) + amount > shop.dailyLimit(dir.currID)) fail('out_limit_exceeded', 'Превышен суточный лимит на вывод');
    if (amount > (shop.balances[dir.curr] ?? 0)) fail('low_balance', 'Нет денег для вывода на балансе');
    const op = this.createOperation('withdraw', shop, data, {
      uniqID, currID: dir.currID, curr: dir.curr, cents: amount, statusURL, number, info: this.scalar(data, 'info'),
    });
    op.plan = { [TRIGGERS.expire]: [4], [TRIGGERS.cancel]: [5], [TRIGGERS.hold]: [] }[amount] ?? [3];
    this.schedule(op);
    return { result: { id: op.id, currID: dir.currID, curr: dir.curr, amount: amount / 100, number, info: op.info } };
  }

  usedToday(shop, currID) {
    const today = new Date().toDateString();
    let used = 0;
    for (const op of this.records.values()) {
      if (op.kind === 'withdraw' && op.shopID === shop.key && op.currID === currID && op.day === today && this.balanceEffect(op) !== 0) {
        used += op.cents;
      }
    }
    return used;
  }

  withdrawCheck(shop, data) {
    const op = this.operation(shop, data, ['withdraw']);
    if (op.status !== 3) fail('id_wrong', 'Чек есть только у выполненной выплаты');
    return { result: { data: receiptPng(op.id).toString('base64'), type: 'png' } };
  }

  acquire(shop, data) {
    const uniqID = this.uniqID(shop, data, 'deposit', 'uniqID_empty');
    const dir = this.direction(shop, data, 'acquire');
    const amount = this.amount(data, dir.currID);
    const statusURL = this.statusURL(shop, data);
    const card = this.payerCard(data.from);
    const op = this.createOperation('acquire', shop, data, {
      uniqID, currID: dir.currID, curr: dir.curr, cents: amount, statusURL, number: `${card.slice(0, 6)}******${card.slice(-4)}`,
    });
    op.plan = { [TRIGGERS.requisitesError]: [3], [TRIGGERS.cancel]: [10], [TRIGGERS.hold]: [] }[amount] ?? [2, 4];
    this.schedule(op);
    return { id: op.id, currID: dir.currID, curr: dir.curr, amount: amount / 100, code_required: true };
  }

  // `from`: the payer's card, as in the seed's acquire example. Only a masked number is kept.
  payerCard(from) {
    if (!isObject(from)) fail('param_wrong', 'Параметр from обязателен');
    const field = (name, pattern) => {
      const value = phpToString(from[name]);
      if (!pattern.test(value)) fail('param_wrong', `Неверный формат параметра from.${name}`);
      return value;
    };
    // 16 digits, no Luhn check here: the seed's own example card (2202112381841356) fails it.
    const card = field('card', /^\d{16}$/);
    field('month', /^(0[1-9]|1[0-2])$/);
    field('year', /^\d{4}$/);
    field('cvv', /^\d{3}$/);
    return card;
  }

  acquireConfirm(shop, data) {
    const op = this.operation(shop, data, ['acquire']);
    const code = this.scalar(data, 'code');
    if (!/^\d{4,6}$/.test(code)) fail('param_wrong', 'Неверный формат кода');
    if (op.status !== 4 && op.status !== 8) fail('param_wrong', 'Заявка не ожидает код');
    this.stopPlan(op);
    this.setRecordStatus(op, 7);
    op.plan = code === WRONG_CODE ? [8] : [9, 11];
    this.schedule(op);
    return { result: this.statusObject(op) };
  }

  acquireResend(shop, data) {
    const op = this.operation(shop, data, ['acquire']);
    if (op.status !== 4 && op.status !== 8) fail('param_wrong', 'Заявка не ожидает код');
    if (op.status === 8) this.setRecordStatus(op, 4); // a new code is on its way
    return { result: this.statusObject(op) };
  }

  // By `id`; the sandbox also finds an operation by `uniqID` when no `id` is given
  // (deposits first, then payouts, as the two keep separate uniqID spaces).
  status(shop, data) {
    if (this.scalar(data, 'id') || !this.scalar(data, 'uniqID')) {
      return { result: this.statusObject(this.operation(shop, data, ['payment', 'withdraw', 'acquire'])) };
    }
    const uniqID = this.scalar(data, 'uniqID');
    const op = this.uniq.get(`${shop.key}|deposit|${uniqID}`) ?? this.uniq.get(`${shop.key}|withdraw|${uniqID}`);
    if (!op) fail('id_wrong', 'Заявки с таким uniqID нет');
    return { result: this.statusObject(op) };
  }

  // Deprecated in the seed. The sandbox keeps one balance per currency, so every payout
  // direction of a currency shows that currency's balance.
  balance(shop) {
    const result = {};
    for (const dir of DIRECTIONS.values()) {
      if (dir.ops.withdraw && shop.currIDs.has(dir.currID) && dir.curr in shop.balances) result[dir.currID] = money(shop.balances[dir.curr]);
    }
    return { result };
  }

  balanceAll(shop) {
    // A whole balance comes out as an integer (the seed: {"RUB":314021}), else as a float.
    return { result: Object.fromEntries(Object.entries(shop.balances).map(([curr, c]) => [curr, c / 100])) };
  }

  withdrawLimit(shop) {
    const daily = {};
    const value = {};
    for (const dir of DIRECTIONS.values()) {
      if (!dir.ops.withdraw || !shop.currIDs.has(dir.currID)) continue;
      const limit = shop.dailyLimit(dir.currID);
      daily[dir.currID] = money(limit);
      // "allowed to pay out now": what is left of the daily limit, at most the balance
      value[dir.currID] = money(Math.max(0, Math.min(limit - this.usedToday(shop, dir.currID), shop.balances[dir.curr] ?? 0)));
    }
    return { result: { daily, value } };
  }

  dispute(shop, data) {
    const op = this.operation(shop, data, ['payment', 'withdraw', 'acquire']);
    const amount = parseCents(data.amount);
    if (amount <= 0) fail('param_wrong', 'Сумма должна быть больше нуля');
    const disputeURL = this.scalar(data, 'disputeURL');
    if (disputeURL && !isHttpUrl(disputeURL)) fail('param_wrong', 'Неверный формат параметра disputeURL');
    const dispute = {
      kind: 'dispute',
      id: this.nextDisputeId++,
      shopID: shop.key,
      operationID: op.id,
      cents: amount,
      comment: this.scalar(data, 'comment'),
      disputeURL,
      status: 1,
      createdAt: new Date().toISOString(),
      plan: { [TRIGGERS.cancel]: [6, 5], [TRIGGERS.hold]: [] }[amount] ?? [6, 3],
    };
    this.records.set(`dispute:${dispute.id}`, dispute);
    this.notify(dispute); // the seed's example callback carries status 1 Waiting
    this.schedule(dispute);
    return { result: dispute.id };
  }

  disputeStatus(shop, data) {
    const id = this.scalar(data, 'id');
    if (!id) fail('id_empty', 'Не задано значение ID диспута');
    const dispute = this.records.get(`dispute:${id}`);
    if (!dispute || dispute.shopID !== shop.key) fail('id_wrong', 'Указанный ID диспута не существует');
    return { result: this.disputeObject(dispute) };
  }
}

function isHttpUrl(text) {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

const ENDPOINTS = {
  payment: GatewayApi.prototype.payment,
  withdraw: GatewayApi.prototype.withdraw,
  'withdraw/check': GatewayApi.prototype.withdrawCheck,
  acquire: GatewayApi.prototype.acquire,
  'acquire/confirm': GatewayApi.prototype.acquireConfirm,
  'acquire/resend': GatewayApi.prototype.acquireResend,
  status: GatewayApi.prototype.status,
  balance: GatewayApi.prototype.balance,
  balance_all: GatewayApi.prototype.balanceAll,
  'withdraw/limit': GatewayApi.prototype.withdrawLimit,
  dispute: GatewayApi.prototype.dispute,
  'dispute/status': GatewayApi.prototype.disputeStatus,
};

/** Every code of the seed's error table ("Перечень ошибок"), both operations' rows. */
export const ERROR_CODES = new Set([
  'param_wrong', 'data_wrong', 'shopID_wrong', 'sign_wrong', 'currID_wrong', 'amount_small', 'amount_big',
  'statusURL_wrong', 'uniqID_empty', 'no_attach_acc', 'wrong_psys', 'no_cards', 'all_cards_busy',
  'no_phonenumbers', 'all_phonenumbers_busy', 'invalid_hash', 'general_decline', 'rate_limit',
  'Total amount per day limit', 'no_operators', 'number_format_wrong', 'number_wrong', 'out_limit_exceeded',
  'low_balance', 'low_bal02', 'low_bal03', 'uniqID_used2', 'id_empty', 'id_wrong',
]);

/** Every api2 endpoint name, echo included. */
export const ENDPOINT_NAMES = new Set([...Object.keys(ENDPOINTS), 'echo']);
