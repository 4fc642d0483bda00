// The 16 methods of the exchanger user API v1, reproducing what the Premium Exchanger 2.7 module
// puts on the wire (see /work/shared/spec/WIRE.md, part A). Quirks kept on purpose, because a
// client must survive them on real servers:
//
// - `error` is an integer in test, get_direction_currencies, get_directions, in the
//   dispatcher's own answers (IP blocked, Method not supported — these carry no `data` key at
//   all) and in a failed add_partner_payout; it is a string ("0", "1", "2", "3") everywhere else.
// - Empty PHP arrays encode as `[]`: `data` of an error, `error_fields` on success, empty field
//   lists, and list methods without results return `"data": []` instead of `{"items": []}`.
// - Ids read from the database are strings (get_directions, get_exchanges, bid_info), the id
//   just inserted by create_bid is an integer; custom-field `req`/`cd` are "1"/"0", account
//   fields have `req: 1`; a select's options are a JSON array unless the admin left an empty
//   line, which makes them an object with a gap in its keys.
// - get_direction with an unknown id answers error "0" with `data: []` (the script clears the
//   error before searching); with no parameters at all it returns the first direction.
// - cancel_bid/pay_bid on a bid whose status does not allow it answer error "1"
//   `no bid exists` (the script falls through); `action disabled` (error "2") is reserved for a
//   direction that does not allow the action by API (api_actions cancel/pay not 'api').
// - success_bid works from any status.
// - get_exchanges's `api_id` filter compares with the bid id (2.7 bug): `api_id=1005` finds the
//   bid whose id is 1005, whatever its api_id.
// - api_id is cut to 100 characters; a repeated one fails with error_text `api id not unique`
//   (English in every locale, like the module's other short texts) and, as on the real server,
//   no entry in error_fields: alone, it leaves `error_fields: []`.
// - get_exchanges, test and the partner methods ignore maintenance.
// - test reports `partner_id` from the POSTed `partner_id` (0 when absent), not from the key.

import { timingSafeEqual } from 'node:crypto';
import { tr, FIELDS, NOT_SELECTED, STATUS_TITLES, MSG, PARTNER, LOCALES, DEFAULT_LOCALE } from './catalog.mjs';
import { parseSum, fmt, quote } from './calc.mjs';
import { PAYABLE, siteDate, phpTime } from './state.mjs';

export const METHODS = [
  'test', 'get_direction_currencies', 'get_directions', 'get_direction', 'get_calc', 'get_exchanges',
  'create_bid', 'cancel_bid', 'pay_bid', 'success_bid', 'bid_info', 'get_partner_info',
  'get_partner_links', 'get_partner_exchanges', 'get_partner_payouts', 'add_partner_payout',
];

const intval = (v) => {
  const n = Number.parseInt(String(v ?? '').trim(), 10);
  return Number.isFinite(n) ? n : 0;
};
/** pn_strip_input: no tags, trimmed. */
const stripInput = (v) => String(v ?? '').replace(/<[^>]*>/g, '').trim();
/** MySQL's cast of a string to a number: its numeric prefix, or 0. */
const mysqlNumber = (v) => Number.parseFloat(String(v).trim()) || 0;

/** A PHP list with keys 0..n-1 encodes as a JSON array, any gap turns it into an object. */
function phpArray(entries) {
  return entries.every(([k], i) => Number(k) === i) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

/** limit (default 100, max 500) and offset, as every list method reads them. */
function page(items, p) {
  let limit = intval(p('limit'));
  if (limit < 1) limit = 100;
  if (limit > 500) limit = 500;
  const offset = Math.max(0, intval(p('offset')));
  return items.slice(offset, offset + limit);
}

/** start_time / end_time / ip filters, against the skewed `time` values (see state.mjs). */
function timeFilter(p) {
  const start = intval(p('start_time'));
  const end = intval(p('end_time'));
  return (ms) => (start <= 0 || phpTime(ms) >= start) && (end <= 0 || phpTime(ms) <= end);
}

const idList = (v) => String(v).split(',').map(intval).filter((n) => n > 0);

export function createApi(store, keys) {
  const dirs = () => [...store.directions.values()];
  const curTitle = (cur, loc) => `${tr(cur.psys, loc)} ${cur.code}`;
  const logo = (cur, origin) => `${origin}/logos/${cur.logo}.svg`;

  // ---- texts ----

  function feeText(dir, side, loc, getFee, network) {
    if (dir.hostile) return tr(side === 'give' ? dir.hostile.comGive : dir.hostile.comGet, loc);
    const cur = side === 'give' ? dir.giveCur : dir.getCur;
    const com = side === 'give' ? dir.comGive : { pct: dir.comGet.pct, fix: getFee };
    const parts = [];
    if (com.pct) parts.push(`${com.pct}%`);
    if (com.fix) parts.push(`${fmt(com.fix, cur.decimals)} ${cur.code}`);
    if (!parts.length) return '';
    const label = tr(cur.crypto ? MSG.feeNetwork : MSG.feePsys, loc);
    return `${label}${network ? ` (${network})` : ''}: ${parts.join(' + ')}`;
  }

  function infoTexts(dir, loc, origin) {
    const give = curTitle(dir.giveCur, loc);
    const get = curTitle(dir.getCur, loc);
    if (dir.hostile) {
      return { timeline_text: tr(dir.hostile.timeline, loc), frozen_text: '', before_button_text: tr(dir.hostile.beforeButton, loc) };
    }
    const conf = dir.giveCur.crypto?.confirmations;
    const timeline = {
      ru: `<p>Обмен <b>${give}</b> на <b>${get}</b> проходит автоматически и обычно занимает <b>от 5 до 30 минут</b>.</p>`
        + (conf ? `<p>Заявка обрабатывается после <b>${conf}</b> подтверждений сети.</p>` : '<p>Оплачивайте только со счёта, указанного в заявке.</p>'),
      en: `<p>The exchange of <b>${give}</b> to <b>${get}</b> is automatic and usually takes <b>5 to 30 minutes</b>.</p>`
        + (conf ? `<p>The order is processed after <b>${conf}</b> network confirmations.</p>` : '<p>Pay only from the account given in the order.</p>'),
    };
    const frozen = {
      ru: `<p>Направление временно заморожено: пополняем резерв <b>${get}</b>. Попробуйте позже.</p>`,
      en: `<p>This direction is temporarily frozen while we top up the <b>${get}</b> reserve. Please try later.</p>`,
    };
    const beforeButton = {
      ru: `Нажимая «Обменять», вы соглашаетесь с <a href="${origin}/tos/" target="_blank">правилами обмена</a>.`,
      en: `By pressing “Exchange” you accept the <a href="${origin}/tos/" target="_blank">exchange rules</a>.`,
    };
    return {
      timeline_text: tr(timeline, loc),
      frozen_text: dir.frozen ? tr(frozen, loc) : '',
      before_button_text: tr(beforeButton, loc),
    };
  }

  function instruction(bid, dir, loc) {
    const pay = `${bid.sumGiveCom} ${dir.giveCur.code}`;
    if (bid.status === 'new') {
      if (dir.hostile) return tr(dir.hostile.instruction, loc).replace('{amount}', pay);
      if (dir.actions.type === 'address') {
        const n = dir.giveCur.crypto.confirmations;
        return tr({
          ru: `<p>Отправьте <b>${pay}</b> на адрес <b>${bid.address}</b>.</p><p>Заявка будет обработана после <b>${n}</b> подтверждений сети.</p>`,
          en: `<p>Send <b>${pay}</b> to the address <b>${bid.address}</b>.</p><p>The order is processed after <b>${n}</b> network confirmations.</p>`,
        }, loc);
      }
      if (dir.actions.type === 'link') {
        return tr({
          ru: `<p>Нажмите «Оплатить» и оплатите <b>${pay}</b> на странице ${tr(dir.giveCur.psys, loc)}.</p>`,
          en: `<p>Press “Pay” and pay <b>${pay}</b> on the ${tr(dir.giveCur.psys, loc)} page.</p>`,
        }, loc);
      }
      return tr({
        ru: `<p>Переведите <b>${pay}</b> ${dir.giveCur.payTo.ru} и нажмите «Я оплатил».</p>`,
        en: `<p>Transfer <b>${pay}</b> ${dir.giveCur.payTo.en} and press “I have paid”.</p>`,
      }, loc);
    }
    const done = {
      payed: { ru: '<p>Оплата получена, заявка в обработке.</p>', en: '<p>Payment received, the order is being processed.</p>' },
      success: { ru: '<p>Заявка выполнена. Спасибо!</p>', en: '<p>The order is complete. Thank you!</p>' },
      cancel: { ru: '<p>Заявка отменена.</p>', en: '<p>The order has been cancelled.</p>' },
    }[bid.status];
    return done ? tr(done, loc) : '';
  }

  const statusTitle = (status, loc) => (STATUS_TITLES[status] ? tr(STATUS_TITLES[status], loc) : status);

  // ---- fields ----

  function accountField(dir, side, loc) {
    const cur = side === 1 ? dir.giveCur : dir.getCur;
    const name = `account${side}`;
    const hostile = dir.hostile?.[name];
    return {
      name,
      type: 'text',
      'cash-id': `account${cur.id}`,
      id: name,
      autocomplete: 'off',
      label: tr(hostile?.label ?? cur.account.label, loc),
      value: '',
      class: `js_${name} cache_data check_cache`,
      req: 1,
      format: 'purse',
      tooltip: tr(hostile?.tooltip ?? cur.account.tooltip, loc),
      cd: 0,
    };
  }

  function customField(name, loc) {
    const f = FIELDS[name];
    const d = {
      name, 'cash-id': name, id: name, autocomplete: 'off', label: tr(f.label, loc),
      req: f.req ? '1' : '0', format: f.format, type: f.type,
    };
    if (f.type === 'select') {
      d.value = 0;
      d.class = `js_my_sel js_${name} cache_data check_cache`;
      const entries = [['0', tr(NOT_SELECTED, loc)]];
      f.options.forEach((o, i) => { if (o) entries.push([String(i + 1), tr(o, loc)]); });
      d.options = phpArray(entries);
    } else {
      d.value = '';
      d.class = `js_${name} cache_data check_cache`;
    }
    d.tooltip = tr(f.tooltip, loc);
    d.cd = f.cd ? '1' : '0';
    return d;
  }

  /** A field list: an object keyed by name, `[]` when empty, an array for `fieldsAsList`. */
  function fieldList(descriptors, asList) {
    if (!descriptors.length || asList) return descriptors;
    return Object.fromEntries(descriptors.map((d) => [d.name, d]));
  }

  const giveFieldNames = (dir) => dir.giveCur.giveFields ?? [];

  /** Fee of the chosen network for directions with a network select (cd field). */
  function network(dir, value) {
    if (!dir.networkFees) return { fee: dir.comGet.fix, label: '' };
    const idx = intval(value);
    const fee = dir.networkFees.fees[idx];
    return fee === undefined
      ? { fee: dir.comGet.fix, label: '' }
      : { fee, label: FIELDS[dir.networkFees.field].options[idx - 1] };
  }

  function sums(dir, q, loc, net) {
    const dg = dir.giveCur.decimals;
    const dt = dir.getCur.decimals;
    const no = (v, d) => (v === null || v === undefined ? 'no' : fmt(v, d));
    return {
      currency_code_give: dir.giveCur.code,
      currency_code_get: dir.getCur.code,
      reserve: fmt(dir.getCur.reserve, dt),
      course_give: fmt(dir.courseGive, dg),
      course_get: fmt(dir.courseGet, dt),
      sum_give: fmt(q.sumGive, dg),
      sum_give_com: fmt(q.sumGiveCom, dg),
      sum_get: fmt(q.sumGet, dt),
      sum_get_com: fmt(q.sumGetCom, dt),
      com_give: feeText(dir, 'give', loc, net.fee, ''),
      com_get: feeText(dir, 'get', loc, net.fee, net.label),
      min_give: no(q.limits.minGive, dg),
      max_give: no(q.limits.maxGive, dg),
      min_get: no(q.limits.minGet, dt),
      max_get: no(q.limits.maxGet, dt),
    };
  }

  // ---- bids ----

  function findBid(r) {
    const id = intval(r.p('id'));
    const hash = r.p('hash');
    const bid = id > 0 ? store.bids.get(id) : /^[0-9a-z]{1,64}$/i.test(hash) ? store.byHash.get(hash) : undefined;
    return bid && bid.apiLogin === r.login ? bid : undefined;
  }

  function bidData(bid, r, idAsString) {
    const dir = store.directions.get(bid.directionId);
    const loc = r.locale;
    const data = {
      url: `${r.origin}/hst_${bid.hash}/`,
      id: idAsString ? String(bid.id) : bid.id,
      hash: bid.hash,
      status: bid.status,
      status_title: statusTitle(bid.status, loc),
      psys_give: tr(dir.giveCur.psys, loc),
      psys_get: tr(dir.getCur.psys, loc),
      currency_code_give: dir.giveCur.code,
      currency_code_get: dir.getCur.code,
      amount_give: bid.sumGiveCom,
      amount_get: bid.sumGetCom,
      course_give: bid.courseGive,
      course_get: bid.courseGet,
      api_actions: {
        type: dir.actions.type,
        cancel: dir.actions.cancel,
        pay: dir.actions.pay === 'link' ? `${r.origin}/__sandbox/pay/${bid.hash}` : dir.actions.pay,
        pay_amount: bid.sumGiveCom,
        instruction: instruction(bid, dir, loc),
      },
    };
    if (bid.address) data.address = bid.address;
    return data;
  }

  function exchangeItem(bid, r, partner) {
    const dir = store.directions.get(bid.directionId);
    const item = { id: String(bid.id) };
    if (!partner) item.api_id = bid.apiId;
    Object.assign(item, {
      time: phpTime(bid.editedAt),
      date: siteDate(bid.editedAt),
      psys_give: tr(dir.giveCur.psys, r.locale),
      psys_get: tr(dir.getCur.psys, r.locale),
      currency_code_give: dir.giveCur.code,
      currency_code_get: dir.getCur.code,
      course_give: bid.courseGive,
      course_get: bid.courseGet,
      amount_give: bid.sumGiveCom,
      amount_get: bid.sumGetCom,
      exchange_success: bid.status === 'success' ? 1 : 0,
    });
    if (partner) {
      item.accrued = bid.status === 'success' ? 1 : 0;
      item.partner_reward = fmt(bid.partnerReward, 2);
    }
    // The seed's fields only: a listing never carries the bid's secret hash.
    Object.assign(item, { user_hash: bid.userHash, user_ip: bid.userIp, status: bid.status });
    if (intval(r.p('status_history'))) {
      item.statuses = bid.history.map((h) => ({ time: phpTime(h.at), date: siteDate(h.at), status: h.status }));
    }
    return item;
  }

  /** Shared filters of get_exchanges and get_partner_exchanges, newest change first. */
  function filterBids(r, base) {
    const inTime = timeFilter(r.p);
    const ip = stripInput(r.p('ip'));
    const ids = r.p('id') ? idList(r.p('id')) : null;
    let list = [...store.bids.values()].filter((b) => base(b) && inTime(b.editedAt)
      && (!ip || b.userIp === ip)
      && (!ids?.length || ids.includes(b.id)));
    list = list.sort((a, b) => b.editedAt - a.editedAt || b.id - a.id);
    return page(list, r.p);
  }

  /** cancel_bid / pay_bid / success_bid. */
  async function bidAction(r, target, { from, permission }) {
    if (store.maintenance) return { error: '2', error_text: 'maintenance', data: '' };
    const bid = findBid(r);
    if (!bid) return { error: '1', error_text: 'no bid exists', data: '' };
    if (bid.status === target) return { error: '0', error_text: '', data: target };
    if (from && !from.has(bid.status)) return { error: '1', error_text: 'no bid exists', data: '' };
    const dir = store.directions.get(bid.directionId);
    if (permission && dir.actions[permission] !== 'api') return { error: '2', error_text: 'action disabled', data: '' };
    await store.setStatus(bid, target);
    return { error: '0', error_text: '', data: bid.status };
  }

  // ---- create_bid validation ----

  /** Normalises a custom field value as the script's cf_auto does; '' when invalid. */
  function fieldValue(f, raw) {
    if (f.type === 'select') return intval(raw);
    const v = stripInput(raw);
    switch (f.format) {
      case 'user_email': return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(v) ? v : '';
      case 'user_telegram': return /^@?[A-Za-z0-9_]{5,32}$/.test(v) ? v : '';
      default: return v;
    }
  }

  function accountError(dir, name, loc) {
    const hostile = dir.hostile?.[name];
    if (hostile) return tr(hostile.error, loc);
    const cur = name === 'account1' ? dir.giveCur : dir.getCur;
    return `<span class="err">${tr(MSG.invalidAccount, loc)} <b>${tr(cur.account.noun, loc)}</b></span>`;
  }

  function createBid(r) {
    const loc = r.locale;
    const fail = (error, text, fields = []) => ({ error, error_text: text, error_fields: fields, data: [] });
    if (store.maintenance) return fail('2', 'maintenance');
    const dirId = intval(r.p('direction_id'));
    if (!dirId) return fail('3', tr(MSG.noDirection, loc));
    const dir = store.directions.get(dirId);
    if (!dir || dir.frozen) return fail('3', tr(MSG.directionDisabled, loc));

    const errors = {};
    const accounts = {};
    for (const [name, cur, shown] of [['account1', dir.giveCur, dir.giveCur.showGive], ['account2', dir.getCur, true]]) {
      if (!shown) continue;
      const v = String(r.p(name)).replace(cur.account.strip, '');
      if (cur.account.re.test(v)) accounts[name] = v; else errors[name] = accountError(dir, name, loc);
    }

    let action = intval(r.p('calc_action'));
    if (action < 1 || action > 4) action = 1;
    const net = network(dir, dir.networkFees ? r.p(dir.networkFees.field) : '');
    const q = quote(dir, { amount: parseSum(r.p('calc_amount')), action, getFee: net.fee, clamp: false });
    const { minGive, maxGive, minGet, maxGet } = q.limits;
    const dg = dir.giveCur.decimals;
    const dt = dir.getCur.decimals;
    const bound = (id, word, val, dec, code, space = ' ') =>
      `<span class="js_amount" data-id="${id}" data-val="${fmt(val, dec)}">${tr(word, loc)}.: ${fmt(val, dec)}${space}${code}</span>`;
    if (minGive !== null && q.sumGive < minGive) errors.sum1 = bound('sum1', MSG.min, minGive, dg, dir.giveCur.code);
    if (maxGive !== null && q.sumGive > maxGive) errors.sum1 = bound('sum1', MSG.max, maxGive, dg, dir.giveCur.code);
    if (minGet !== null && q.sumGet < minGet) errors.sum2 = bound('sum2', MSG.min, minGet, dt, dir.getCur.code);
    // The script forgets the space before the currency code in this one message.
    if (q.sumGet > maxGet) errors.sum2 = bound('sum2', MSG.max, maxGet, dt, dir.getCur.code, '');
    const positive = tr(MSG.positive, loc);
    if (q.sumGive <= 0) errors.sum1 = positive;
    if (q.sumGet <= 0) errors.sum2 = positive;
    if (q.sumGiveCom <= 0) errors.sum1c = positive;
    if (q.sumGetCom <= 0) errors.sum2c = positive;

    const values = {};
    for (const name of [...dir.dirFields, ...giveFieldNames(dir)]) {
      const f = FIELDS[name];
      const v = fieldValue(f, r.p(name));
      if (f.req && f.type === 'select' && v === 0) errors[name] = tr(MSG.notSelected, loc);
      else if (f.req && v === '') errors[name] = tr(MSG.fieldErrors, loc);
      if (v !== '' && v !== 0) values[name] = v;
    }

    const apiId = stripInput(r.p('api_id')).slice(0, 100);
    const taken = apiId !== '' && store.apiIdTaken(r.login, apiId);
    const invalid = Object.keys(errors).length > 0;
    if (taken || invalid) return fail('3', taken ? 'api id not unique' : tr(MSG.error, loc), invalid ? errors : []);

    const bid = store.createBid({
      directionId: dir.id,
      apiLogin: r.login,
      apiId,
      refId: Math.max(0, intval(r.p('partner_id'))),
      callbackUrl: stripInput(r.p('callback_url')).slice(0, 2048),
      userIp: r.ip,
      courseGive: fmt(dir.courseGive, dg),
      courseGet: fmt(dir.courseGet, dt),
      sumGive: fmt(q.sumGive, dg),
      sumGiveCom: fmt(q.sumGiveCom, dg),
      sumGet: fmt(q.sumGet, dt),
      sumGetCom: fmt(q.sumGetCom, dt),
      accountGive: accounts.account1 ?? '',
      accountGet: accounts.account2,
      fields: values,
      partnerReward: Math.round(q.sumGive * dir.giveCur.usd * PARTNER.rewardPct) / 100,
    });
    return { error: '0', error_text: '', error_fields: [], data: bidData(bid, r, false) };
  }

  // ---- partner programme ----

  /** Runs a partner method: error "1" without a programme or partner id, as the script. */
  function partner(r, fn) {
    if (r.key.partnerId === null) return { error: '1', error_text: 'no active partner program', data: [] };
    if (!(r.key.userId > 0)) return { error: '1', error_text: 'no partner id', data: [] };
    return fn(r.key.partnerId);
  }

  const items = (list) => (list.length ? { items: list } : []);

  // ---- the methods ----

  const handlers = {
    test: (r) => ({
      error: 0,
      error_text: '',
      data: { ip: r.ip, user_id: r.key.userId, locale: r.locale, partner_id: intval(r.p('partner_id')) },
    }),

    get_direction_currencies(r) {
      if (store.maintenance) return { error: 1, error_text: 'maintenance', data: { give: [], get: [] } };
      const fg = intval(r.p('currency_id_give'));
      const fgt = intval(r.p('currency_id_get'));
      const give = new Map();
      const get = new Map();
      for (const d of dirs()) {
        if ((fg > 0 && d.give !== fg) || (fgt > 0 && d.get !== fgt)) continue;
        for (const [list, cur] of [[give, d.giveCur], [get, d.getCur]]) {
          if (!list.has(cur.id)) list.set(cur.id, { id: String(cur.id), title: curTitle(cur, r.locale), logo: logo(cur, r.origin) });
        }
      }
      return { error: 0, error_text: '', data: { give: [...give.values()], get: [...get.values()] } };
    },

    get_directions(r) {
      if (store.maintenance) return { error: 1, error_text: 'maintenance', data: [] };
      const fg = intval(r.p('currency_id_give'));
      const fgt = intval(r.p('currency_id_get'));
      const data = dirs().filter((d) => (fg <= 0 || d.give === fg) && (fgt <= 0 || d.get === fgt)).map((d) => ({
        direction_id: String(d.id),
        currency_give_id: String(d.give),
        currency_give_title: curTitle(d.giveCur, r.locale),
        currency_give_logo: logo(d.giveCur, r.origin),
        currency_get_id: String(d.get),
        currency_get_title: curTitle(d.getCur, r.locale),
        currency_get_logo: logo(d.getCur, r.origin),
      }));
      return { error: 0, error_text: '', data };
    },

    get_direction(r) {
      if (store.maintenance) return { error: '1', error_text: 'maintenance', data: [] };
      const id = intval(r.p('direction_id'));
      const fg = intval(r.p('currency_id_give'));
      const fgt = intval(r.p('currency_id_get'));
      const dir = dirs().find((d) => (!id || d.id === id) && (!fg || d.give === fg) && (!fgt || d.get === fgt));
      if (!dir) return { error: '0', error_text: '', data: [] };
      const loc = r.locale;
      const net = network(dir, '');
      const q = quote(dir, { amount: 0, action: 1, getFee: net.fee, clamp: true });
      const give = [];
      if (dir.giveCur.showGive) give.push(accountField(dir, 1, loc));
      for (const name of giveFieldNames(dir)) give.push(customField(name, loc));
      return {
        error: '0',
        error_text: '',
        data: {
          id: String(dir.id),
          url: `${r.origin}/exchange_${dir.name}/`,
          ...sums(dir, q, loc, net),
          give_fields: fieldList(give),
          get_fields: fieldList([accountField(dir, 2, loc)]),
          dir_fields: fieldList(dir.dirFields.map((n) => customField(n, loc)), dir.fieldsAsList),
          info: infoTexts(dir, loc, r.origin),
        },
      };
    },

    get_calc(r) {
      if (store.maintenance) return { error: '1', error_text: 'maintenance', data: [] };
      const dir = store.directions.get(intval(r.p('direction_id')));
      if (!dir) return { error: '1', error_text: 'direction not found', data: [] };
      // `cd` is decoded once more and parsed as a query string (urldecode + parse_str).
      const cd = new URLSearchParams(phpUrldecode(r.p('cd').trim()));
      const net = network(dir, dir.networkFees ? cd.get(dir.networkFees.field) : '');
      const q = quote(dir, { amount: parseSum(r.p('calc_amount')), action: intval(r.p('calc_action')), getFee: net.fee, clamp: true });
      return { error: '0', error_text: '', data: { ...sums(dir, q, r.locale, net), changed: q.changed } };
    },

    get_exchanges(r) {
      let list = filterBids(r, (b) => b.apiLogin === r.login);
      const apiIds = r.p('api_id') ? String(r.p('api_id')).split(',').map(mysqlNumber) : [];
      if (apiIds.length) list = list.filter((b) => apiIds.includes(b.id)); // the 2.7 bug: compares ids
      return { error: '0', error_text: '', data: items(list.map((b) => exchangeItem(b, r, false))) };
    },

    create_bid: createBid,

    cancel_bid: (r) => bidAction(r, 'cancel', { from: PAYABLE, permission: 'cancel' }),
    pay_bid: (r) => bidAction(r, 'payed', { from: PAYABLE, permission: 'pay' }),
    success_bid: (r) => bidAction(r, 'success', {}),

    bid_info(r) {
      if (store.maintenance) return { error: '2', error_text: 'maintenance', error_fields: [], data: [] };
      const bid = findBid(r);
      if (!bid) return { error: '1', error_text: 'no bid exists', error_fields: [], data: [] };
      const data = bidData(bid, r, true);
      if (!PAYABLE.has(bid.status)) data.api_actions.type = 'finished';
      return { error: '0', error_text: '', error_fields: [], data };
    },

    get_partner_info: (r) => partner(r, (pid) => {
      const balance = store.partnerBalance(pid);
      const list = [];
      for (const cur of store.currencies.values()) {
        if (cur.payoutCom === undefined || balance <= 0) continue;
        const paysum = balance / cur.usd;
        if (cur.reserve < paysum) continue;
        list.push({
          id: String(cur.id),
          title: curTitle(cur, r.locale),
          comission: `${cur.payoutCom}%`,
          amount: fmt(paysum * (1 - cur.payoutCom / 100), cur.decimals),
        });
      }
      return { error: '0', error_text: '', data: { partner_id: pid, balance, min_payout: fmt(PARTNER.minPayout, 2), items: list } };
    }),

    get_partner_links: (r) => partner(r, (pid) => {
      const inTime = timeFilter(r.p);
      const ip = stripInput(r.p('ip'));
      const list = store.partnerLinks(pid).filter((l) => inTime(l.at) && (!ip || l.ip === ip)).map((l) => ({
        time: phpTime(l.at), date: siteDate(l.at), browser: l.browser, ip: l.ip,
        referrer: l.referrer, user_hash: l.userHash, query_string: l.queryString,
      }));
      return { error: '0', error_text: '', data: items(page(list, r.p)) };
    }),

    get_partner_exchanges: (r) => partner(r, (pid) => {
      const list = filterBids(r, (b) => b.refId === pid);
      return { error: '0', error_text: '', data: items(list.map((b) => exchangeItem(b, r, true))) };
    }),

    get_partner_payouts: (r) => partner(r, (pid) => {
      const inTime = timeFilter(r.p);
      const ids = r.p('id') ? idList(r.p('id')) : null;
      const list = store.partnerPayouts(pid)
        .filter((p) => inTime(p.at) && (!ids?.length || ids.includes(p.id)))
        .sort((a, b) => b.at - a.at)
        .map((p) => ({
          id: String(p.id), time: phpTime(p.at), date: siteDate(p.at), method_id: p.methodId, account: p.account,
          pay_amount: p.payAmount, pay_currency_code: p.payCode, original_amount: p.originalAmount,
          original_currency_code: 'USD', status: p.status,
        }));
      return { error: '0', error_text: '', data: items(page(list, r.p)) };
    }),

    add_partner_payout: (r) => partner(r, (pid) => {
      const loc = r.locale;
      const cur = store.currencies.get(intval(r.p('method_id')));
      const account = stripInput(r.p('account'));
      const balance = store.partnerBalance(pid);
      let problem = '';
      if (!cur || cur.payoutCom === undefined) problem = tr(MSG.payoutNoCurrency, loc);
      else if (!cur.account.re.test(account.replace(cur.account.strip, ''))) problem = tr(MSG.payoutAccount, loc);
      else if (balance < PARTNER.minPayout) problem = `${tr(MSG.payoutMin, loc)} ${fmt(PARTNER.minPayout, 2)} USD`;
      if (problem) return { error: 1, error_text: problem, data: [] };
      const payout = store.addPayout(pid, {
        methodId: cur.id,
        account: account.replace(cur.account.strip, ''),
        payAmount: fmt((balance / cur.usd) * (1 - cur.payoutCom / 100), cur.decimals),
        payCode: cur.code,
        originalAmount: fmt(balance, 2),
      });
      return { error: '0', error_text: '', data: { payout_id: payout.id } };
    }),
  };

  const safeEqual = (a, b) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  };

  /**
   * Answers one API call. Returns the envelope object, or null when the module stays silent
   * (unknown login/key: the real server prints nothing).
   */
  return async function handle({ method, params, headers, ip, origin }) {
    const login = String(headers['api-login'] ?? '').trim();
    const secret = String(headers['api-key'] ?? '').trim();
    const key = login && secret ? keys.find((k) => k.login === login && safeEqual(k.key, secret)) : undefined;
    if (!key) return null;
    if (key.ips !== 'any' && !key.ips.includes(ip)) return { error: 2, error_text: 'IP blocked' };
    if (!Object.hasOwn(handlers, method) || !key.methods.has(method)) return { error: 3, error_text: 'Method not supported' };
    const lang = String(headers['api-lang'] ?? '');
    const r = {
      p: (name) => params.get(name) ?? '',
      key,
      login,
      ip,
      origin,
      locale: LOCALES.includes(lang) ? lang : DEFAULT_LOCALE,
    };
    return handlers[method](r);
  };
}

/** PHP's urldecode: '+' is a space, malformed escapes stay as they are. */
export function phpUrldecode(s) {
  return s.replace(/\+/g, ' ').replace(/(%[0-9a-f]{2})+/gi, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}
