// The payment directions (currID) table of seed 002, and the requisite rules it implies.
//
// Each row: currID, currency, method, the seed's name, the requisite type ("Выдача":
// what a payer is shown on a deposit, what a payout is sent to), and which operations it
// takes. The seed marks a direction "вход"/"ввод" (deposits only), "выплаты"/"вывод"
// (payouts only) or "вход+выход"/nothing (both); E-COM directions take card acquiring
// (`acquire`) only. The seed's examples also use currIDs 6, 7, 8 and 39, which are not in
// its table: the sandbox answers currID_wrong for them, as for any unknown currID.

const IN = { payment: true };
const OUT = { withdraw: true };
const BOTH = { payment: true, withdraw: true };
const ECOM = { acquire: true };

// [currID, curr, method, name, requisite, operations]
const TABLE = [
  [10, 'KZT', 'P2P', 'Банки Казахстана', 'card', BOTH],
  [11, 'UZS', 'P2P', 'Банки Узбекистана', 'card', BOTH],
  [23, 'AZN', 'P2P', 'Азербайджан M10', 'phone', BOTH],
  [51, 'AMD', 'P2P', 'Армянский драм', 'card', BOTH],
  [58, 'KZT', 'P2P', 'СМП система моментальных платежей: все банки кроме Каспи', 'phone', BOTH],
  [60, 'AZN', 'P2P', 'MPAY', 'phone', BOTH],
  [62, 'KZT', 'P2P', 'MPAY', 'phone', BOTH],
  [63, 'TRY', 'P2P', 'Turkish Lira', 'card', BOTH],
  [64, 'UAH', 'P2P', 'Ukraine mono банк', 'card', BOTH],
  [101, 'KRW', 'P2P', 'Корея', 'card', BOTH],
  [105, 'RUB', 'P2P', 'вход Сбербанк расчетный счет', 'account', IN],
  [86, 'RUB', 'P2P', 'Вход карты', 'card', IN],
  [88, 'RUB', 'P2P', 'Вход номер тел (СБП)', 'phone', IN],
  [192, 'RUB', 'P2P', 'Тинькофф расчетный счет', 'account', BOTH],
  [194, 'RUB', 'P2P', 'Альфа банк расчетный счет', 'account', BOTH],
  [169, 'UZS', 'P2P', 'Вход банки Узбекистана', 'card', IN],
  [89, 'RUB', 'P2P', 'Выплаты сбер', 'opid', OUT],
  [83, 'RUB', 'P2P', 'выплаты все банки кроме сбера', 'card', OUT],
  [93, 'RUB', 'P2P', 'выплаты сбп все банки', 'phone', OUT],
  [109, 'RUB', 'E-COM', 'E-COM RUB', 'url', ECOM],
  [110, 'UZS', 'E-COM', 'E-COM UZS', 'url', ECOM],
  [153, 'AZN', 'E-COM', 'E-COM AZN', 'url', ECOM],
  [160, 'KZT', 'E-COM', 'E-COM KZT', 'url', ECOM],
  [157, 'BYN', 'E-COM', 'E-COM BYN', 'url', ECOM],
  [184, 'UZS', 'P2P', 'все банки вход+выход', 'card', BOTH],
  [185, 'YJS', 'P2P', 'все банки YJS', 'card', BOTH],
  [19, 'AZN', 'P2P', 'capital bank вход+выход', 'card', BOTH],
  [59, 'AZN', 'P2P', 'emanat кошелек вход+выход', 'phone', BOTH],
  [151, 'TRY', 'P2P', 'iban счета все банки вход', 'iban', IN],
  [178, 'TRY', 'P2P', 'papara кошелек вход', 'card', IN],
  [179, 'TRY', 'P2P', 'payfix кошелек вход', 'card', IN],
  [183, 'BYN', 'P2P', 'карты все банки', 'card', BOTH],
  [164, 'BYN', 'P2P', 'iban счета все банки', 'iban', BOTH],
  [145, 'BYN', 'P2P', 'каскад вход все банки', 'card', IN],
  [159, 'KZT', 'P2P', 'Fridom KZ карты', 'card', BOTH],
  [125, 'KGS', 'P2P', 'mban карты', 'card', BOTH],
  [323, 'VND', 'P2P', 'карты ввод', 'card', IN],
  [328, 'VND', 'P2P', 'карты вывод', 'card', OUT],
  [326, 'VND', 'P2P', 'номер счета ввод', 'account', IN],
  [327, 'VND', 'P2P', 'номер счета вывод', 'account', OUT],
  [329, 'IDR', 'P2P', 'номер карты ввод', 'card', IN],
  [334, 'IDR', 'P2P', 'номер карты вывод', 'card', OUT],
  [332, 'IDR', 'P2P', 'номер счета ввод', 'account', IN],
  [333, 'IDR', 'P2P', 'номер счета вывод', 'account', OUT],
];

/** currID -> { currID, curr, method, name, requisite, ops, sbp } */
export const DIRECTIONS = new Map(
  TABLE.map(([currID, curr, method, name, requisite, ops]) => [
    currID,
    // The seed: tel/bank/bankTitle/paymentLink come back only for the SBP direction.
    { currID, curr, method, name, requisite, ops, sbp: currID === 88 || currID === 93 },
  ]),
);

export const CURRENCIES = [...new Set(TABLE.map((row) => row[1]))];

function luhnValid(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function luhnComplete(partial) {
  for (let d = 0; d <= 9; d++) if (luhnValid(partial + d)) return partial + d;
  throw new Error('unreachable');
}

// ISO 13616 mod-97 over the rearranged IBAN, letters as 10..35.
function ibanRemainder(rearranged) {
  let rem = 0;
  for (const ch of rearranged) {
    const v = parseInt(ch, 36);
    rem = (v > 9 ? rem * 100 + v : rem * 10 + v) % 97;
  }
  return rem;
}

const IBAN_LENGTH = { TR: 26, BY: 28 };

function makeIban(country, bban) {
  const check = 98 - ibanRemainder(bban + country + '00');
  return country + String(check).padStart(2, '0') + bban;
}

/**
 * The payout requisite check behind number_format_wrong (characters) and number_wrong
 * (length or checksum): cards 16 digits passing Luhn, phones 10..15 digits with an
 * optional `+`, Russian settlement accounts 20 digits, IBANs by country length and
 * mod-97, other account numbers 8..20 digits, Sber operation ids 6..64 letters/digits.
 * Returns null when the number is fine, else the error code.
 */
export function checkPayoutNumber(direction, number) {
  const rules = {
    card: [/^\d+$/, (n) => n.length === 16 && luhnValid(n)],
    phone: [/^\+?\d+$/, (n) => n.replace('+', '').length >= 10 && n.replace('+', '').length <= 15],
    account: [/^\d+$/, (n) => (direction.curr === 'RUB' ? n.length === 20 : n.length >= 8 && n.length <= 20)],
    iban: [/^[A-Z]{2}\d{2}[A-Z0-9]+$/, (n) => IBAN_LENGTH[n.slice(0, 2)] === n.length && ibanRemainder(n.slice(4) + n.slice(0, 4)) === 1],
    opid: [/^[A-Za-z0-9-]+$/, (n) => n.length >= 6 && n.length <= 64],
  };
  const [format, valid] = rules[direction.requisite];
  if (!format.test(number)) return 'number_format_wrong';
  return valid(number) ? null : 'number_wrong';
}

const PHONE_PREFIX = { RUB: ['+79', 9], KZT: ['+77', 9], AZN: ['+99450', 7] };
const HOLDERS = ['FEDOR M', 'IVAN P', 'OLGA S', 'ANNA K', 'PETR V'];

/**
 * The requisite a payer is shown for deposit `id` on `direction`: deterministic per id so
 * tests can predict it, and valid by the same rules as payouts (Luhn, IBAN check digits).
 */
export function depositRequisite(direction, id) {
  const serial = String(id);
  const holder = HOLDERS[id % HOLDERS.length];
  switch (direction.requisite) {
    case 'phone': {
      const [prefix, len] = PHONE_PREFIX[direction.curr];
      return { number: prefix + serial.padStart(len, '0').slice(-len), holder };
    }
    case 'account':
      return { number: (direction.curr === 'RUB' ? '40817810' : '') + serial.padStart(12, '0'), holder };
    case 'iban':
      return {
        number: direction.curr === 'TRY'
          ? makeIban('TR', '00062' + serial.padStart(17, '0'))
          : makeIban('BY', 'ALFA3012' + serial.padStart(16, '0')),
        holder,
      };
    default:
      return { number: luhnComplete('2200' + serial.padStart(11, '0').slice(-11)), holder };
  }
}
