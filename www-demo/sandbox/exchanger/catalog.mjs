// Static data of the sandbox exchanger: currencies, custom fields, exchange directions and the
// texts the exchanger admin would have typed (Russian and English). Everything that shapes the
// wire format (ids as strings, `req` types, PHP arrays vs objects) lives in api.mjs; this file
// only describes the "database".

export const LOCALES = ['ru_RU', 'en_US'];
export const DEFAULT_LOCALE = 'ru_RU';

/** Picks the text for a locale from `{ ru, en }`; plain strings are language-neutral. */
export const tr = (text, locale) =>
  typeof text === 'string' ? text : text[locale === 'en_US' ? 'en' : 'ru'];

// Hostile fragments for the optional XSS test direction. A safe renderer must neutralise all
// three while keeping the legit <b>, <br> and https links around them.
export const PWN = {
  script: '<script>window.__pwned=1</script>',
  img: '<img src=x onerror="window.__pwned=1">',
  link: '<a href="javascript:window.__pwned=1">click</a>',
};
const PWN_ALL = PWN.script + PWN.img + PWN.link;

// Account (purse) validation per currency, like the admin's "purse format" settings.
const CARD = {
  label: { ru: 'Номер карты', en: 'Card number' },
  noun: { ru: 'номер карты', en: 'card number' },
  tooltip: { ru: '16–19 цифр, можно с пробелами', en: '16–19 digits, spaces allowed' },
  strip: /[\s-]/g,
  re: /^\d{16,19}$/,
};
const wallet = (code, re, hint) => ({
  label: { ru: `Адрес кошелька ${code}`, en: `${code} wallet address` },
  noun: { ru: 'адрес кошелька', en: 'wallet address' },
  tooltip: { ru: `Адрес в сети <b>${hint}</b>`, en: `Address on the <b>${hint}</b> network` },
  strip: /^\s+|\s+$/g,
  re,
});

/**
 * Currencies ("psys + code" as the admin names them). `usd` is the USD price used to derive
 * rates; `reserve` is what the exchanger can pay out in that currency; `showGive` tells whether
 * the client must name the account it pays from (cards yes, crypto no — it sends to an address);
 * `payTo` is where the client sends a manual (non-crypto) payment.
 * `payoutCom` marks currencies partners can withdraw to (percent commission).
 */
export const CURRENCIES = [
  { id: 1, code: 'BTC', psys: 'Bitcoin', slug: 'BTC', logo: 'btc', decimals: 8, usd: 67250, reserve: 4.21873,
    crypto: { kind: 'btc', confirmations: 2 }, showGive: false, payoutCom: 1,
    account: wallet('BTC', /^(bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$/, 'Bitcoin') },
  { id: 2, code: 'ETH', psys: 'Ethereum', slug: 'ETH', logo: 'eth', decimals: 8, usd: 3480, reserve: 61.5,
    crypto: { kind: 'eth', confirmations: 12 }, showGive: false,
    account: wallet('ETH', /^0x[0-9a-fA-F]{40}$/, 'Ethereum') },
  { id: 3, code: 'USDT', psys: 'Tether TRC20', slug: 'USDTTRC20', logo: 'usdt', decimals: 2, usd: 1, reserve: 184320.55,
    crypto: { kind: 'trc20', confirmations: 20 }, showGive: false, payoutCom: 0.5,
    account: wallet('USDT TRC20', /^T[1-9A-HJ-NP-Za-km-z]{33}$/, 'TRON (TRC20)') },
  { id: 4, code: 'LTC', psys: 'Litecoin', slug: 'LTC', logo: 'ltc', decimals: 8, usd: 84.5, reserve: 950.2,
    crypto: { kind: 'ltc', confirmations: 6 }, showGive: false,
    account: wallet('LTC', /^(ltc1[02-9ac-hj-np-z]{11,71}|[LM3][1-9A-HJ-NP-Za-km-z]{26,33})$/, 'Litecoin') },
  { id: 5, code: 'RUB', psys: { ru: 'Сбербанк', en: 'Sberbank' }, slug: 'SBERRUB', logo: 'sber', decimals: 2,
    usd: 1 / 92.4, reserve: 12500000, showGive: true, account: CARD, giveFields: ['cfgive8'],
    payTo: { ru: 'на карту <b>2202 2000 0000 0000</b> (Иван И.)', en: 'to card <b>2202 2000 0000 0000</b> (Ivan I.)' } },
  { id: 6, code: 'RUB', psys: { ru: 'Тинькофф', en: 'Tinkoff' }, slug: 'TCSBRUB', logo: 'tinkoff', decimals: 2,
    usd: 1 / 92.4, reserve: 8740000, showGive: true, account: CARD, giveFields: ['cfgive8'],
    payTo: { ru: 'на карту <b>2200 7000 0000 0000</b> (Иван И.)', en: 'to card <b>2200 7000 0000 0000</b> (Ivan I.)' } },
  { id: 7, code: 'UAH', psys: 'Visa/MasterCard', slug: 'CARDUAH', logo: 'visamc', decimals: 2,
    usd: 1 / 41.2, reserve: 1850000, showGive: true, account: CARD, giveFields: ['cfgive8', 'cfgive16'],
    payTo: { ru: 'на карту <b>4441 1144 0000 0000</b> (Іван І.)', en: 'to card <b>4441 1144 0000 0000</b> (Ivan I.)' } },
  { id: 8, code: 'KZT', psys: 'Kaspi Bank', slug: 'KASPIKZT', logo: 'kaspi', decimals: 2,
    usd: 1 / 478, reserve: 36200000, showGive: true,
    payTo: { ru: 'на номер Kaspi <b>+7 701 000 00 00</b>', en: 'to Kaspi number <b>+7 701 000 00 00</b>' },
    account: {
      label: { ru: 'Номер телефона Kaspi', en: 'Kaspi phone number' },
      noun: { ru: 'номер телефона', en: 'phone number' },
      tooltip: { ru: 'Формат: +7 7XX XXX XX XX', en: 'Format: +7 7XX XXX XX XX' },
      strip: /[\s()-]/g,
      re: /^\+?7\d{10}$/,
    } },
  { id: 9, code: 'USD', psys: 'Payeer', slug: 'PRUSD', logo: 'payeer', decimals: 2, usd: 1, reserve: 42150,
    showGive: true, payoutCom: 0,
    payTo: { ru: 'на счёт Payeer <b>P1000000</b>', en: 'to Payeer account <b>P1000000</b>' },
    account: {
      label: { ru: 'Номер счёта Payeer', en: 'Payeer account' },
      noun: { ru: 'номер счёта', en: 'account number' },
      tooltip: { ru: 'Например: P1000000', en: 'For example: P1000000' },
      strip: /^\s+|\s+$/g,
      re: /^P\d{7,12}$/,
    } },
];

/** "No selected", the option 0 the script puts in front of every select. */
export const NOT_SELECTED = { ru: 'Не выбрано', en: 'No selected' };

/**
 * Custom fields. `cf<N>` belong to directions, `cfgive<N>` to the "give" currency. `format` is
 * the script's cf_auto (how the value is normalised); `cd: true` marks fields that change the
 * calculation and must be passed to get_calc in `cd`. An empty option string is kept on
 * purpose: the script skips it, which leaves a gap in the option keys.
 */
export const FIELDS = {
  cf1: { type: 'text', label: { ru: 'Имя', en: 'First name' }, req: true, format: 'first_name', tooltip: '' },
  cf3: { type: 'text', label: { ru: 'Фамилия', en: 'Last name' }, req: false, format: 'last_name', tooltip: '' },
  cf6: { type: 'text', label: 'E-mail', req: true, format: 'user_email',
    tooltip: { ru: 'Сюда придёт <b>уведомление</b> о статусе заявки', en: 'We send <b>status updates</b> here' } },
  cf11: { type: 'text', label: 'Telegram', req: false, format: 'user_telegram',
    tooltip: { ru: 'Необязательно: @username для связи', en: 'Optional: @username to reach you' } },
  cf12: { type: 'select', label: { ru: 'Сеть получения', en: 'Receiving network' }, req: true, cd: true, format: '',
    tooltip: { ru: 'От сети зависит <b>комиссия</b>', en: 'The <b>fee</b> depends on the network' },
    options: ['Ethereum (ERC20)', 'Arbitrum One', 'Optimism'] },
  cfgive8: { type: 'text', label: { ru: 'Имя владельца карты', en: 'Cardholder name' }, req: true, format: '',
    tooltip: { ru: 'Латиницей, как на карте', en: 'As printed on the card' } },
  cfgive16: { type: 'select', label: { ru: 'Банк карты', en: 'Card issuer' }, req: false, format: '', tooltip: '',
    options: ['Monobank', '', 'PrivatBank', { ru: 'Ощадбанк', en: 'Oschadbank' }] },
  // Only used by the hostile direction.
  cf30: { type: 'text', label: { ru: `E-mail <b>для чека</b>${PWN.img}`, en: `E-mail <b>for the receipt</b>${PWN.img}` },
    req: true, format: 'user_email',
    tooltip: { ru: `Введите e-mail.<br>${PWN.script}${PWN.link}`, en: `Enter your e-mail.<br>${PWN.script}${PWN.link}` } },
};

/**
 * Exchange directions. `margin` is the exchanger's spread; `comGive` is a payment-system fee the
 * client pays on top, `comGet` a fee taken from what the client receives; `min*`/`max*` null
 * means "no limit" ("no" on the wire). `actions` is what create_bid reports in api_actions:
 * `pay: 'link'` becomes a URL of the sandbox's fake payment page. `frozen` directions are listed
 * but refuse new bids. `fieldsAsList` emulates a plugin that re-indexes dir_fields (array_values)
 * so the list arrives as a JSON array instead of an object keyed by name.
 */
export const DIRECTIONS = [
  { id: 1, give: 1, get: 5, margin: 0.015, minGive: 0.0005, maxGive: 3, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 0 }, dirFields: ['cf6', 'cf11'],
    actions: { type: 'address', cancel: 'api', pay: 'api' } },
  { id: 2, give: 5, get: 1, margin: 0.02, minGive: 5000, maxGive: 1500000, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 0.00015 }, dirFields: ['cf1', 'cf6', 'cf11'],
    actions: { type: 'default', cancel: 'api', pay: 'api' } },
  { id: 3, give: 3, get: 6, margin: 0.01, minGive: 50, maxGive: 50000, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 0 }, dirFields: ['cf6', 'cf11'],
    actions: { type: 'address', cancel: 'api', pay: 'api' } },
  { id: 4, give: 6, get: 3, margin: 0.025, minGive: 3000, maxGive: null, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 1 }, dirFields: ['cf6', 'cf11'],
    actions: { type: 'default', cancel: 'api', pay: 'api' } },
  { id: 5, give: 2, get: 7, margin: 0.02, minGive: 0.02, maxGive: 20, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 1, fix: 0 }, dirFields: ['cf1', 'cf3', 'cf6'],
    actions: { type: 'address', cancel: 'api', pay: 'api' } },
  // The "network" select changes the payout fee: get_calc must receive it in `cd`.
  { id: 6, give: 6, get: 2, margin: 0.025, minGive: 5000, maxGive: 2000000, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 0.0025 }, dirFields: ['cf12', 'cf6', 'cf11'],
    networkFees: { field: 'cf12', fees: { 1: 0.0025, 2: 0.0003, 3: 0.0002 } },
    actions: { type: 'default', cancel: 'api', pay: 'api' } },
  { id: 7, give: 4, get: 8, margin: 0.02, minGive: 0.5, maxGive: 500, minGet: 20000, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 0 }, dirFields: ['cf6'], fieldsAsList: true,
    actions: { type: 'address', cancel: 'disabled', pay: 'api' } },
  { id: 8, give: 9, get: 1, margin: 0.03, minGive: 20, maxGive: 10000, minGet: null, maxGet: null,
    comGive: { pct: 0.95, fix: 0 }, comGet: { pct: 0, fix: 0.00015 }, dirFields: ['cf6'],
    actions: { type: 'link', cancel: 'api', pay: 'link' } },
  { id: 9, give: 1, get: 3, margin: 0.01, minGive: 0.001, maxGive: 5, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 1 }, dirFields: [],
    actions: { type: 'address', cancel: 'api', pay: 'api' } },
  { id: 10, give: 8, get: 3, margin: 0.03, minGive: 25000, maxGive: 5000000, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 1 }, dirFields: ['cf1', 'cf6'],
    actions: { type: 'default', cancel: 'api', pay: 'api' } },
  { id: 11, give: 7, get: 3, margin: 0.03, minGive: 2000, maxGive: 400000, minGet: null, maxGet: null,
    comGive: { pct: 1.5, fix: 0 }, comGet: { pct: 0, fix: 1 }, dirFields: ['cf6', 'cf11'],
    actions: { type: 'default', cancel: 'api', pay: 'api' } },
  { id: 12, give: 3, get: 9, margin: 0.015, minGive: 10, maxGive: 20000, minGet: null, maxGet: null,
    comGive: { pct: 0, fix: 0 }, comGet: { pct: 0.5, fix: 0 }, dirFields: ['cf6'], frozen: true,
    actions: { type: 'address', cancel: 'api', pay: 'api' } },
];

/** Added with `hostile: true`: every admin-typed text carries script payloads. */
export const HOSTILE_DIRECTION = {
  id: 13, give: 5, get: 4, margin: 0.02, minGive: 3000, maxGive: 500000, minGet: null, maxGet: null,
  comGive: { pct: 0, fix: 0 }, comGet: { pct: 0, fix: 0.001 }, dirFields: ['cf30'],
  actions: { type: 'default', cancel: 'api', pay: 'api' },
  hostile: {
    timeline: {
      ru: `<p>Обмен <b>Сбербанк RUB</b> на <b>Litecoin LTC</b>.<br>Подробнее в <a href="https://example.com/faq">FAQ</a>.</p>${PWN_ALL}`,
      en: `<p>Exchange <b>Sberbank RUB</b> to <b>Litecoin LTC</b>.<br>See the <a href="https://example.com/faq">FAQ</a>.</p>${PWN_ALL}`,
    },
    beforeButton: {
      ru: `Нажимая кнопку, вы принимаете <a href="https://example.com/tos">правила</a>.${PWN.link}`,
      en: `By pressing the button you accept the <a href="https://example.com/tos">rules</a>.${PWN.link}`,
    },
    instruction: {
      ru: `<p>Переведите <b>{amount}</b> на карту <b>2202 2000 0000 0000</b>.<br>${PWN.script}${PWN.img}</p>`,
      en: `<p>Send <b>{amount}</b> to card <b>2202 2000 0000 0000</b>.<br>${PWN.script}${PWN.img}</p>`,
    },
    comGive: { ru: `Без комиссии <b>банка</b>${PWN.img}`, en: `No <b>bank</b> fee${PWN.img}` },
    comGet: { ru: `Комиссия сети: <b>0.001 LTC</b>${PWN.script}`, en: `Network fee: <b>0.001 LTC</b>${PWN.script}` },
    account1: {
      label: { ru: `Номер карты <b>Сбербанка</b>${PWN.img}`, en: `<b>Sberbank</b> card number${PWN.img}` },
      tooltip: { ru: `16 цифр<br>${PWN.script}`, en: `16 digits<br>${PWN.script}` },
      error: { ru: `<span class="err">Неверный <b>номер карты</b>${PWN.img}</span>`,
        en: `<span class="err">Invalid <b>card number</b>${PWN.img}</span>` },
    },
    account2: {
      label: { ru: `Адрес <b>LTC</b>${PWN.link}`, en: `<b>LTC</b> address${PWN.link}` },
      tooltip: { ru: `<a href="https://litecoin.org">Что это?</a>${PWN.img}`, en: `<a href="https://litecoin.org">What is it?</a>${PWN.img}` },
      error: { ru: `<span class="err">Неверный <b>адрес</b>${PWN.script}${PWN.link}</span>`,
        en: `<span class="err">Invalid <b>address</b>${PWN.script}${PWN.link}</span>` },
    },
  },
};

/** Status titles (the script's "naps_title"), per locale. Unknown statuses show their code. */
export const STATUS_TITLES = {
  new: { ru: 'Новая заявка', en: 'New order' },
  techpay: { ru: 'Переход к оплате', en: 'Proceeding to payment' },
  coldpay: { ru: 'Ожидание подтверждения', en: 'Waiting for confirmation' },
  realpay: { ru: 'Оплачена через мерчант', en: 'Paid via merchant' },
  verify: { ru: 'На проверке', en: 'Under verification' },
  payed: { ru: 'Оплаченная заявка', en: 'Paid order' },
  partpay: { ru: 'Частично оплачена', en: 'Partially paid' },
  success: { ru: 'Выполненная заявка', en: 'Completed order' },
  cancel: { ru: 'Отменённая заявка', en: 'Cancelled order' },
  delete: { ru: 'Удалённая заявка', en: 'Deleted order' },
  error: { ru: 'Ошибка заявки', en: 'Order error' },
  payouterror: { ru: 'Ошибка выплаты', en: 'Payout error' },
  refund: { ru: 'Возврат', en: 'Refund' },
};

/** Texts the script translates with __(). The module's own short error texts stay English. */
export const MSG = {
  fieldErrors: { ru: 'поле заполнено с ошибками', en: 'field is filled with errors' },
  notSelected: { ru: 'значение не выбрано', en: 'value is not selected' },
  positive: { ru: 'сумма должна быть больше 0', en: 'amount must be greater than 0' },
  min: { ru: 'мин', en: 'min' },
  max: { ru: 'макс', en: 'max' },
  error: { ru: 'Ошибка!', en: 'Error!' },
  noDirection: { ru: 'Ошибка! Направление обмена не существует', en: 'Error! The direction do not exist' },
  directionDisabled: { ru: 'Ошибка! Направление обмена отключено', en: 'Error! Exchange direction is disabled' },
  invalidAccount: { ru: 'Неверный', en: 'Invalid' },
  feeNetwork: { ru: 'Комиссия сети', en: 'Network fee' },
  feePsys: { ru: 'Комиссия платёжной системы', en: 'Payment system fee' },
  payoutNoCurrency: { ru: 'Ошибка! Не выбрана валюта выплаты', en: 'Error! Payout currency is not selected' },
  payoutAccount: { ru: 'Ошибка! Неверный счёт для выплаты', en: 'Error! Invalid payout account' },
  payoutMin: { ru: 'Ошибка! Минимальная сумма выплаты', en: 'Error! The minimum payout is' },
};

/** Partner programme settings (site currency USD). */
export const PARTNER = { rewardPct: 0.5, minPayout: 10, startBalance: 25.4 };
