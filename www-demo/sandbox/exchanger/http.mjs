// HTTP plumbing of the sandbox: reading bodies the way PHP fills $_POST, encoding JSON the way
// PHP's json_encode does, and the few HTML pages the API links to.

import { phpPostType } from '../php-sign.mjs';
import { tr, STATUS_TITLES } from './catalog.mjs';

const BODY_LIMIT = 1024 * 1024;

/** The request body, or null when it exceeds the limit (PHP then leaves $_POST empty). */
export async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size <= BODY_LIMIT) chunks.push(chunk);
  }
  return size <= BODY_LIMIT ? Buffer.concat(chunks) : null;
}

/**
 * The parameters PHP would put in $_POST: only for POST, only from urlencoded or multipart
 * bodies (a JSON body leaves them empty); a repeated name keeps its last value.
 */
export function formParams(req, body) {
  const params = new Map();
  if (req.method !== 'POST' || !body) return params;
  const type = phpPostType(req.headers['content-type']);
  if (type === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
  } else if (type === 'multipart/form-data') {
    const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type']);
    if (m) parseMultipart(body, Buffer.from(`--${m[1] ?? m[2]}`), params);
  }
  return params;
}

/** Text fields of a multipart body; file parts are skipped (they would go to $_FILES). */
function parseMultipart(body, delimiter, params) {
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length + 2; // past the delimiter and its CRLF
    const next = body.indexOf(delimiter, start);
    if (next === -1 || body[start - 2] === 0x2d) break; // "--" closes the body
    const part = body.subarray(start, Math.max(start, next - 2));
    const sep = part.indexOf('\r\n\r\n');
    if (sep !== -1) {
      const head = part.subarray(0, sep).toString('utf8');
      const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(head)?.[1];
      if (name !== undefined && !/filename=/i.test(head)) params.set(name, part.subarray(sep + 4).toString('utf8'));
    }
    pos = next;
  }
}

/** JSON as PHP's json_encode without flags prints it: "\/" and \uXXXX for non-ASCII. */
export function phpJson(value) {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A minimal page; admin texts are never rendered as HTML here, only escaped values. */
export function htmlPage(title, body) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>`
    + '<meta name="viewport" content="width=device-width,initial-scale=1">'
    + '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}'
    + 'dt{color:#666}dd{margin:0 0 .5rem}button{font:inherit;padding:.5rem 1rem}</style>'
    + `</head><body>${body}</body></html>`;
}

/** The public bid page (the `url` of create_bid / bid_info). */
export function bidPage(bid, dir, loc) {
  const t = (ru, en) => tr({ ru, en }, loc);
  const status = STATUS_TITLES[bid.status] ? tr(STATUS_TITLES[bid.status], loc) : bid.status;
  const rows = [
    [t('Статус', 'Status'), status],
    [t('Отдаёте', 'You give'), `${bid.sumGiveCom} ${dir.giveCur.code}`],
    [t('Получаете', 'You get'), `${bid.sumGetCom} ${dir.getCur.code}`],
    [t('Курс', 'Rate'), `${bid.courseGive} ${dir.giveCur.code} = ${bid.courseGet} ${dir.getCur.code}`],
  ];
  if (bid.address) rows.push([t('Адрес для оплаты', 'Deposit address'), bid.address]);
  const list = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return htmlPage(`#${bid.id}`, `<h1>${escapeHtml(t('Заявка', 'Order'))} #${bid.id}</h1><dl>${list}</dl>`);
}

/** The fake payment-system page behind api_actions.pay links. */
export function payPage(bid, dir, loc) {
  const t = (ru, en) => tr({ ru, en }, loc);
  const amount = escapeHtml(`${bid.sumGiveCom} ${dir.giveCur.code}`);
  const body = bid.status === 'new'
    ? `<p>${escapeHtml(t('Оплата заявки', 'Payment for order'))} #${bid.id}: <b>${amount}</b></p>`
      + `<form method="post"><button>${escapeHtml(t('Оплатить', 'Pay'))}</button></form>`
    : `<p>${escapeHtml(t('Заявка уже не ждёт оплаты.', 'This order no longer awaits payment.'))}</p>`;
  return htmlPage(t('Оплата (песочница)', 'Payment (sandbox)'), `<h1>${escapeHtml(t('Оплата (песочница)', 'Payment (sandbox)'))}</h1>${body}`
    + `<p><a href="/hst_${bid.hash}/">${escapeHtml(t('К заявке', 'Back to the order'))}</a></p>`);
}
