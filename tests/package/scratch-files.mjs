// The files of the scratch user project that tests/package/package.test.mjs installs the packed
// package into: each is what a user of that runtime would write.

// The server program a Node, Deno or Bun user writes: sign; take a deposit through the api2
// gateway and verify the signed callback the gateway then sends; quote and place an exchange
// bid through the exchanger user API. Everything it is given comes from the environment.
const serverProgram = (imports, widgetCheck) => `${imports}

async function main() {
  const env = process.env;
  const out = { sign: sign({ param1: 1, param2: 2 }, 'KKKeeey') };
  const order = 'user-' + crypto.randomUUID();

  // api2 gateway: a deposit, its status, and the gateway's signed callback about it.
  const gateway = new MerchantClient({
    baseUrl: env.GATEWAY_URL, shopId: Number(env.SHOP_ID), apiKey: env.GATEWAY_API_KEY, secretKey: env.GATEWAY_SECRET_KEY,
  });
  let approved;
  const callback = new Promise((resolve, reject) => {
    approved = resolve;
    setTimeout(() => reject(new Error('no approved callback within 10 s')), 10000).unref?.();
  });
  const receiver = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { raw += chunk; });
    req.on('end', () => {
      try {
        const cb = gateway.verifyCallback(raw); // the version field is named after the gateway's host
        res.end('OK');
        if (cb.status === 3) approved({ raw, cb });
      } catch (err) {
        res.writeHead(400).end(err instanceof CallbackError ? err.code : 'error');
      }
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const statusURL = 'http://127.0.0.1:' + receiver.address().port + '/ipn';
  const deposit = await gateway.payment({ uniqID: order, currID: 86, amount: '500.52', statusURL });
  const status = await gateway.status({ uniqID: order });
  const { raw, cb } = await callback;
  receiver.close();
  let tamperedCode;
  try {
    verifyCallback(raw.replace('500.52', '900.52'), env.GATEWAY_SECRET_KEY, { versionKey: new URL(env.GATEWAY_URL).hostname });
  } catch (err) {
    if (!(err instanceof CallbackError)) throw err;
    tamperedCode = err.code;
  }
  Object.assign(out, {
    order, statusURL, tamperedCode,
    deposit: { id: deposit.id, amount: deposit.amount, number: deposit.number },
    status: { id: status.id, amount: status.amount, statusText: status.statusText },
    callback: { type: cb.type, id: cb.id, status: cb.status, amount: cb.amount },
  });

  // Exchanger user API: directions, a quote, a bid, the bid read back.
  const exchanger = new ExchangerClient({ baseUrl: env.EXCHANGER_URL, login: env.API_LOGIN, key: env.API_KEY });
  const directions = await exchanger.getDirections();
  const direction = await exchanger.getDirection({ direction_id: 2 });
  const quote = await exchanger.getCalc({ direction_id: 2, calc_amount: '10000' });
  const bid = await exchanger.createBid({
    direction_id: 2, calc_amount: '10000', api_id: order,
    account1: '2202 2000 1111 2222', cfgive8: 'IVAN IVANOV', account2: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    cf1: 'Ivan', cf6: 'ivan@example.com',
  }, { direction });
  const info = await exchanger.bidInfo({ hash: bid.hash });
  let missingCode;
  try {
    await exchanger.getDirection({ direction_id: 999999 });
  } catch (err) {
    if (!(err instanceof ExchangerError)) throw err;
    missingCode = err.kind;
  }
  Object.assign(out, {
    directions: directions.map((d) => d.direction_id),
    quote: { sum_give: quote.sum_give, sum_get_com: quote.sum_get_com },
    bid: { id: bid.id, hash: bid.hash, api_id: bid.api_id, status: bid.status, amount_get: bid.amount_get },
    info: { id: info.id, status: info.status },
    missingCode,
  });
${widgetCheck}
  return out;
}

main().then(
  (out) => console.log(JSON.stringify(out)),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
`;

// The element needs a DOM; on a server, importing obmennik/widget must not crash.
const widgetCheck = `  try {
    new ObmennikWidget();
  } catch (err) {
    out.widget = err.message;
  }`;

// Uses every export of the package and of obmennik/widget, so tsc --strict checks the whole
// public surface; the @ts-expect-error lines fail the build if a type degrades to any.
const SAMPLE_TS = `import init, {
  sign, signingString, signJson, verifyCallback, verifyCallbackRequest,
  ObmennikError, ValidationError, CallbackError, MerchantError, ExchangerError, TransportError,
  MerchantClient, isFinal, paymentDirection, paymentDirections, buildPayment, buildWithdraw,
  buildWithdrawCheck, buildAcquire, buildAcquireConfirm, buildAcquireResend, buildStatus, buildBalance,
  buildBalanceAll, buildWithdrawLimit, buildDispute, buildDisputeStatus, buildEcho,
  ExchangerClient, confirmBidCallback, createBidCallbackHandler, createExchangerProxy, toNodeListener,
} from 'obmennik';
import type {
  SignValue, SignParams, FieldIssue, VerifyCallbackOptions, CallbackBase, OperationCallback,
  DisputeCallback, OtherCallback, GatewayCallback, CallbackErrorCode, TransportErrorKind,
  CallOptions, RequestEvent, OperationKind, MerchantConfig, MerchantClientOptions, MerchantRequest, PaymentResult,
  WithdrawResult, AcquireResult, OperationStatus, RecoveredOperation, WithdrawReceipt, Balances,
  BalancesByCurrency, WithdrawLimits, DisputeInfo, EchoResult, DirectionMethod, PaymentDirection,
  DirectionRequisite, UserInfo, PayerCard, CreateParams, PaymentParams, WithdrawParams, AcquireParams,
  OperationRef, AcquireConfirmParams, AcquireResendParams, DisputeParams, StatusParams,
  DisputeStatusParams, MerchantErrorCode,
  ExchangerClientOptions, ExchangerCallOptions, CreateBidOptions, ExchangerMethod, ProxyMethod,
  ExchangerProxyOptions, ProxyRequestInfo, ExchangerProxyHandler, ProxyFailure, ProxyError,
  ProxyErrorKind, ExchangerErrorKind, BidCallbackInput, BidCallbackHandlerOptions,
  WaitUntilContext, BidCallbackHandler, BidCallbackConfirmation, NodeRequestLike,
  NodeResponseLike, NodeListener, ExchangerTestResult, DirectionCurrencies, ExchangerCurrency,
  DirectionSummary, ExchangeDirection, DirectionField, DirectionFieldOption, DirectionTexts,
  CalcResult, Bid, ApiActions, Exchange, BidStatusChange, ItemList, PartnerInfo,
  PartnerPayoutCurrency, PartnerLink, PartnerPayout, PartnerPayoutCreated, DirectionFilter,
  GetDirectionRequest, GetCalcRequest, ExchangesFilter, CreateBidRequest, BidRef,
  PartnerLinksFilter, PartnerPayoutsFilter, AddPartnerPayoutRequest,
} from 'obmennik';
import {
  ObmennikWidget, type ObmennikReadyDetail, type ObmennikQuoteDetail, type ObmennikBidDetail, type ObmennikErrorKind,
  type ObmennikErrorDetail, type ObmennikWidgetEventMap,
} from 'obmennik/widget';

export async function demo(request: Request): Promise<string> {
  await init();
  const value: SignValue = [1, 'a', { nested: true }];
  const params: SignParams = { shopID: 522, amount: 500.52, list: value, skipped: undefined };
  const hex: string = sign(params, 'key');
  // @ts-expect-error a function has no PHP value
  sign({ callback: () => 1 }, 'key');
  const text: string = signingString(params, 'key') + signJson('{"a":1}', 'key');
  const options: VerifyCallbackOptions = { versionKey: 'mychanger.icu', minVersion: 2, maxBytes: 65536, tolerance: 300, receivedAt: 1720206230 };
  const cb: GatewayCallback = verifyCallback('{}', ['new', 'old'], options);
  const base: CallbackBase = cb;
  // Narrowed by type alone: each field read below would be unknown otherwise.
  if (cb.type === 'dispute') {
    const dispute: DisputeCallback = cb;
    const operation: number | string = cb.operationID;
    return String(operation) + dispute.statusText;
  }
  if (cb.type === 'payment' || cb.type === 'withdraw') {
    const op: OperationCallback = cb;
    const status: number = cb.status;
    return op.statusText + op.amount + String(status);
  }
  const other = cb as OtherCallback;
  const fromRequest: GatewayCallback = await verifyCallbackRequest(request, 'secret');
  return hex + text + base.sign + String(other.type) + String(fromRequest.sign);
}

export function explain(err: unknown): string {
  if (err instanceof ValidationError) {
    const issues: FieldIssue[] = err.issues;
    return issues.map((i) => i.field + ': ' + i.rule).join('; ');
  }
  if (err instanceof CallbackError) {
    const code: CallbackErrorCode = err.code;
    // @ts-expect-error not a callback error code
    const wrong: CallbackErrorCode = 'sign_wrong';
    return code + wrong + String(err.issues?.length);
  }
  if (err instanceof MerchantError) return err.code + (err.info ?? '') + err.description + String(err.retryable);
  if (err instanceof ExchangerError) {
    const kind: ExchangerErrorKind = err.kind;
    const fields: Record<string, string> = err.fields;
    return kind + err.code + err.errorText + err.method + (err.apiId ?? '') + (err.hint ?? '') + Object.keys(fields).join(',');
  }
  if (err instanceof TransportError) {
    const kind: TransportErrorKind = err.kind;
    return kind + String(err.status ?? '') + (err.bodyExcerpt ?? '') + (err.apiId ?? '') + String(err.retryable);
  }
  if (err instanceof ObmennikError) return err.message;
  return String(err);
}

export async function merchant(signal: AbortSignal): Promise<string> {
  const config: MerchantConfig = { baseUrl: 'https://mychanger.icu/api2/', shopId: 522, apiKey: 'key' };
  const options: MerchantClientOptions = { ...config, secretKey: ['new', 'old'], fetch: globalThis.fetch, timeoutMs: 5000, maxRetries: 2 };
  const client = new MerchantClient(options);
  const call: CallOptions = { signal, timeoutMs: 1000 };
  const userInfo: UserInfo = { ip: '192.168.0.1', ua: 'Mozilla/5.0', email: 'a@b.co', phone: '+78005553535' };
  const base: CreateParams = { uniqID: 'order-1', currID: 86, amount: '500.52', statusURL: 'https://shop.example/ipn' };
  const payment: PaymentParams = { ...base, userInfo, memo: 'Пополнение средств' };
  const paid: PaymentResult | RecoveredOperation = await client.payment(payment, call);
  const requisite: string = paid.recovered ? paid.statusText : paid.number;
  const withdraw: WithdrawParams = { ...base, currID: 83, number: '4111111111111111' };
  const out: WithdrawResult | RecoveredOperation = await client.withdraw(withdraw);
  const from: PayerCard = { card: '4111111111111111', month: '09', year: '2029', cvv: '123' };
  const acquire: AcquireParams = { ...base, currID: 109, from };
  const ecom: AcquireResult | RecoveredOperation = await client.acquire(acquire);
  const ref: OperationRef = { id: out.id };
  const receipt: WithdrawReceipt = await client.withdrawCheck(ref);
  const confirm: AcquireConfirmParams = { id: ecom.id, code: '470179' };
  const resend: AcquireResendParams = { id: ecom.id };
  const status: OperationStatus = await client.acquireConfirm(confirm);
  await client.acquireResend(resend);
  const byUniq: StatusParams = { uniqID: 'order-1' };
  const kind: OperationKind = 'payment';
  const done: boolean = isFinal(kind, (await client.status(byUniq)).status);
  const balances: Balances = await client.balance();
  const all: BalancesByCurrency = await client.balanceAll();
  const limits: WithdrawLimits = await client.withdrawLimit();
  const dispute: DisputeParams = { id: status.id, amount: 100, comment: 'paid late' };
  const disputeId: number | string = await client.dispute(dispute);
  const disputeRef: DisputeStatusParams = { id: disputeId };
  const info: DisputeInfo = await client.disputeStatus(disputeRef);
  const echo: EchoResult = await client.echo({ param1: 1 });
  const direction: PaymentDirection | undefined = paymentDirection(89);
  const method: DirectionMethod = paymentDirections()[0].method;
  const needs: DirectionRequisite | undefined = direction?.requisite;
  const requests: MerchantRequest[] = [
    buildPayment(config, payment), buildWithdraw(config, withdraw), buildWithdrawCheck(config, ref),
    buildAcquire(config, acquire), buildAcquireConfirm(config, confirm), buildAcquireResend(config, resend),
    buildStatus(config, byUniq), buildBalance(config), buildBalanceAll(config), buildWithdrawLimit(config),
    buildDispute(config, dispute), buildDisputeStatus(config, disputeRef), buildEcho(config, { a: 1 }),
  ];
  const cb: GatewayCallback = client.verifyCallback('{}', { versionKey: 'mychanger.icu' });
  let code: MerchantErrorCode | (string & {}) = 'rate_limit';
  try {
    await client.balanceAll();
  } catch (err) {
    if (err instanceof MerchantError) code = err.code;
  }
  client.free();
  return [requisite, receipt.type, receipt.bytes.length, done, balances, all, limits.daily, info.statusText,
    echo.payload, method, needs, requests.length, cb.type, code].join();
}

const onRequest = (e: RequestEvent): void => {
  const what: number | 'network' | 'timeout' | 'aborted' | undefined = e.status ?? e.error;
  const next: 'done' | 'fail' | 'retry' | 'next' = e.outcome;
  console.log(e.method, e.url, e.attempt, what, e.elapsedMs.toFixed(0), next, e.retryInMs ?? 0);
};
const exchangerOptions: ExchangerClientOptions = { baseUrl: 'https://x.example/api/userapi/v1', login: 'l', key: 'k', lang: 'en_US', maxRetries: 1, onRequest };
const client = new ExchangerClient(exchangerOptions);
const call: ExchangerCallOptions = { signal: new AbortController().signal, timeoutMs: 5000, lang: 'ru_RU' };

export async function exchanger(): Promise<void> {
  const info: ExchangerTestResult = await client.test(call);
  const currencies: DirectionCurrencies = await client.getDirectionCurrencies({ currency_id_give: 1 } satisfies DirectionFilter);
  const firstCurrency: ExchangerCurrency | undefined = currencies.give[0];
  const summaries: DirectionSummary[] = await client.getDirections();
  const byPair: GetDirectionRequest = { currency_id_give: '6', currency_id_get: 3 };
  const direction: ExchangeDirection = await client.getDirection(byPair);
  const field: DirectionField | undefined = direction.dir_fields[0];
  const choice: DirectionFieldOption | undefined = field?.options?.[0];
  const texts: DirectionTexts = direction.info;
  const min: string | null = direction.min_give;
  const calcRequest: GetCalcRequest = { direction_id: 6, calc_amount: '0.015', calc_action: 4, cd: { cf12: 2 } };
  // @ts-expect-error calc_action is 1 to 4
  const badCalc: GetCalcRequest = { direction_id: 6, calc_amount: '1', calc_action: 5 };
  const calc: CalcResult = await client.getCalc(calcRequest);
  const changed: boolean = calc.changed;
  const bidRequest: CreateBidRequest = { direction_id: 2, calc_amount: '10000', api_id: 'order-1', account1: '2202', cf6: 'a@b.co' };
  const bidOptions: CreateBidOptions = { direction, ...call };
  const bid: Bid = await client.createBid(bidRequest, bidOptions);
  const actions: ApiActions = bid.api_actions;
  const replayed: boolean | undefined = bid.replayed;
  const ref: BidRef = { hash: bid.hash };
  const statuses: string[] = [await client.payBid(ref), await client.cancelBid(ref), await client.successBid({ id: bid.id })];
  const again: Bid = await client.bidInfo(ref);
  const filter: ExchangesFilter = { status_history: true, limit: 500, offset: 0 };
  const page: ItemList<Exchange> = await client.getExchanges(filter);
  const history: BidStatusChange[] | undefined = page.items[0]?.statuses;
  const found: Exchange | null = await client.findExchangeByApiId('order-1');
  for await (const exchange of client.iterateExchanges({ limit: 100 })) { const s: string = exchange.status; void s; }
  for await (const exchange of client.iteratePartnerExchanges()) { const a: boolean | undefined = exchange.accrued; void a; }
  const linksFilter: PartnerLinksFilter = { ip: '1.2.3.4' };
  for await (const link of client.iteratePartnerLinks(linksFilter)) { const l: PartnerLink = link; void l; }
  const payoutsFilter: PartnerPayoutsFilter = { id: '1,2' };
  for await (const payout of client.iteratePartnerPayouts(payoutsFilter)) { const p: PartnerPayout = payout; void p; }
  const partner: PartnerInfo = await client.getPartnerInfo();
  const payoutCurrency: PartnerPayoutCurrency | undefined = partner.items[0];
  const links: ItemList<PartnerLink> = await client.getPartnerLinks(linksFilter);
  const partnerBids: ItemList<Exchange> = await client.getPartnerExchanges();
  const payouts: ItemList<PartnerPayout> = await client.getPartnerPayouts(payoutsFilter);
  const payoutRequest: AddPartnerPayoutRequest = { method_id: 3, account: 'T...' };
  const created: PartnerPayoutCreated = await client.addPartnerPayout(payoutRequest);
  void [info, firstCurrency, summaries, choice, texts, min, badCalc, changed, actions, replayed, statuses, again, history, found,
    payoutCurrency, links, partnerBids, payouts, created];
}

export async function callbacks(): Promise<Response> {
  const input: BidCallbackInput = new URLSearchParams('bid_id=1&status=payed');
  const confirmation: BidCallbackConfirmation = await confirmBidCallback(input, client, call);
  const ok: boolean = confirmation.confirmed && confirmation.claimedStatus === confirmation.bid.status;
  const handlerOptions: BidCallbackHandlerOptions = { client, onBid: async (c) => { void c.bid.id; }, onError: (e) => void e };
  const handler: BidCallbackHandler = createBidCallbackHandler(handlerOptions);
  const ctx: WaitUntilContext = { waitUntil: (p) => void p };
  void ok;
  return handler(new Request('https://shop.example/cb', { method: 'POST', body: 'bid_id=1&status=new' }), ctx);
}

export async function proxy(): Promise<string> {
  const allow: ProxyMethod[] = ['get_calc', 'create_bid', 'bid_info'];
  // @ts-expect-error not an exchanger method
  const typo: ExchangerMethod = 'get_calculator';
  // @ts-expect-error every customer's bids are never opened to browsers
  const serverOnly: ProxyMethod = 'get_exchanges';
  const proxyOptions: ExchangerProxyOptions = { client, allow, partnerId: 7, callbackUrl: 'https://s.example/cb', cors: { origins: ['https://p.example'] }, maxBodyBytes: 8192, rateLimit: { perMinute: 60 }, trustProxy: false };
  const handler: ExchangerProxyHandler = createExchangerProxy(proxyOptions);
  const info: ProxyRequestInfo = { clientIp: '203.0.113.7' };
  const res = await handler(new Request('https://shop.example/api/get_calc', { method: 'POST' }), info);
  const body = (await res.json()) as ProxyFailure | { data: CalcResult };
  const listener: NodeListener = toNodeListener(handler);
  const req: NodeRequestLike = { method: 'POST', url: '/api/get_calc', headers: {} };
  const out: NodeResponseLike = { headersSent: false };
  void [listener, req, out, typo, serverOnly];
  if ('error' in body) {
    const error: ProxyError = body.error;
    const kind: ExchangerErrorKind | ProxyErrorKind = error.kind as ExchangerErrorKind | ProxyErrorKind;
    return \`\${kind} \${error.code} \${error.message} \${Object.keys(error.fields)}\`;
  }
  return body.data.sum_get_com;
}

export function widget(): string[] {
  const element: ObmennikWidget = document.createElement('obmennik-widget');
  const found: ObmennikWidget | null = document.querySelector('obmennik-widget');
  element.setAttribute('endpoint', '/exchange-api');
  const seen: string[] = [...ObmennikWidget.observedAttributes];
  const onReady = (e: ObmennikWidgetEventMap['obmennik:ready']): void => {
    const detail: ObmennikReadyDetail = e.detail;
    const lang: 'ru' | 'en' = detail.lang;
    seen.push(lang, String(detail.directions), String(detail.resumed));
  };
  element.addEventListener('obmennik:ready', onReady);
  element.removeEventListener('obmennik:ready', onReady);
  element.addEventListener('obmennik:quote', (e) => {
    const quote: ObmennikQuoteDetail = e.detail;
    seen.push(quote.direction_id, quote.currency_code_give, quote.currency_code_get, quote.amount_give, quote.amount_get, String(quote.changed));
  });
  element.addEventListener('obmennik:bid-created', (e) => {
    const bid: ObmennikBidDetail = e.detail;
    seen.push(bid.hash, bid.status, String(bid.final));
  });
  element.addEventListener('obmennik:status', (e) => {
    // @ts-expect-error final is a boolean
    const final: string = e.detail.final;
    seen.push(final);
  });
  element.addEventListener('obmennik:error', (e) => {
    const error: ObmennikErrorDetail = e.detail;
    const kind: ObmennikErrorKind = error.kind;
    seen.push(kind, String(error.code), error.message, error.method);
  });
  element.addEventListener('click', () => seen.push('click'));
  found?.remove();
  return seen;
}
`;

// obmennik/core as a webhook handler uses it, next to the root entry: the same signature for
// the seed payment, a verified callback, and a forged one rejected with an error that is an
// instance of both entries' CallbackError. Prints which files the two entries resolved to.
const coreProgram = (imports, resolve) => `${imports}

const payment = {
  shopID: 522, uniqID: '544545dg-dgd1445-7777', currID: 6, amount: 500.52, label: '123133-44465451',
  userID: '17800111', memo: 'Пополнение средств', statusURL: 'https://your_url', period: 10,
  userInfo: { ip: '192.168.0.1', email: 'user@example.com', phone: '+78005553535' },
};
const secret = 'core-user-secret';
const raw = JSON.stringify({ 'mychanger.icu': '2.3', type: 'payment', id: 7, amount: '153.00', status: 3 });
const body = raw.slice(0, -1) + ',"sign":"' + core.signJson(raw, secret) + '"}';
const cb = core.verifyCallback(body, secret);
const out = {
  resolved: ${resolve},
  sign: core.sign(payment, 'KKKeeey'),
  rootSign: full.sign(payment, 'KKKeeey'),
  seed: core.sign({ param1: 1, param2: 2 }, 'KKKeeey'),
  callback: { type: cb.type, id: cb.id, amount: cb.amount },
  exports: Object.keys(core).filter((k) => k !== 'default').sort(),
};
try {
  core.verifyCallback(body.replace('153.00', '953.00'), secret);
} catch (err) {
  out.tampered = { code: err.code, rootClass: err instanceof full.CallbackError, coreClass: err instanceof core.CallbackError };
}
console.log(JSON.stringify(out));
`;

// Every export of obmennik/core, type-checked through its own declaration files.
const SAMPLE_CORE_TS = `import init, {
  sign, signingString, signJson, verifyCallback, verifyCallbackRequest,
  ObmennikError, ValidationError, CallbackError, MerchantError, ExchangerError, TransportError,
} from 'obmennik/core';
import type {
  SignValue, SignParams, FieldIssue, VerifyCallbackOptions, CallbackBase, OperationCallback,
  DisputeCallback, OtherCallback, GatewayCallback, CallbackErrorCode, TransportErrorKind,
  MerchantErrorCode, ExchangerErrorKind,
} from 'obmennik/core';
import { CallbackError as RootCallbackError } from 'obmennik';

export async function webhook(request: Request, body: string): Promise<string[]> {
  await init();
  const value: SignValue = [1, 'a', { nested: true }];
  const params: SignParams = { shopID: 522, amount: 500.52, list: value, skipped: undefined };
  const options: VerifyCallbackOptions = { versionKey: 'mychanger.icu', minVersion: 2, maxBytes: 65536, tolerance: 300, receivedAt: 1720206230 };
  const out: string[] = [sign(params, 'k'), signingString(params, 'k'), signJson('{"a":1}', 'k')];
  // @ts-expect-error the key is a string
  sign(params, 1);
  const cb: GatewayCallback = verifyCallback(body, ['new', 'old'], options);
  const base: CallbackBase = cb;
  switch (cb.type) {
    case 'dispute': {
      const operation: number | string = cb.operationID;
      out.push(String(operation));
      break;
    }
    case 'payment':
    case 'withdraw': {
      const label: string | undefined = cb.label;
      out.push(cb.statusText, String(label));
      break;
    }
    default: {
      const other = cb as OtherCallback;
      out.push(String(other.type));
    }
  }
  const fromRequest: GatewayCallback = await verifyCallbackRequest(request, 'secret');
  out.push(base.sign, fromRequest.sign);
  try {
    verifyCallback(body, 'secret');
  } catch (err) {
    if (err instanceof CallbackError && err instanceof RootCallbackError) {
      const code: CallbackErrorCode = err.code;
      out.push(code);
    } else if (err instanceof ValidationError) {
      const issues: FieldIssue[] = err.issues;
      out.push(issues[0].field);
    } else if (err instanceof MerchantError) {
      const code: MerchantErrorCode | (string & {}) = err.code;
      out.push(code);
    } else if (err instanceof ExchangerError) {
      const kind: ExchangerErrorKind = err.kind;
      out.push(kind);
    } else if (err instanceof TransportError) {
      const kind: TransportErrorKind = err.kind;
      out.push(kind);
    } else if (err instanceof ObmennikError) {
      out.push(err.message);
    }
  }
  return out;
}
`;

export const SCRATCH_FILES = {
  'esm.mjs': serverProgram(`import http from 'node:http';
import { sign, verifyCallback, CallbackError, MerchantClient, ExchangerClient, ExchangerError } from 'obmennik';
import { ObmennikWidget } from 'obmennik/widget';`, widgetCheck),
  'cjs.cjs': serverProgram(`const http = require('node:http');
const { sign, verifyCallback, CallbackError, MerchantClient, ExchangerClient, ExchangerError } = require('obmennik');`, ''),

  'core-esm.mjs': coreProgram(`import * as core from 'obmennik/core';
import * as full from 'obmennik';`, "{ core: import.meta.resolve('obmennik/core'), root: import.meta.resolve('obmennik') }"),
  'core-cjs.cjs': coreProgram(`const core = require('obmennik/core');
const full = require('obmennik');`, "{ core: require.resolve('obmennik/core'), root: require.resolve('obmennik') }"),

  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
      lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false,
    },
    files: ['sample.ts', 'sample-cjs.cts', 'sample-core.ts', 'sample-core-cjs.cts'],
  }),
  'sample.ts': SAMPLE_TS,
  'sample-core.ts': SAMPLE_CORE_TS,
  // obmennik/core's "require" types (obmennik-core.d.cts).
  'sample-core-cjs.cts': `import core = require('obmennik/core');
export const hex: string = core.sign({ param1: 1, param2: 2 }, 'KKKeeey');
export const ready: Promise<void> = core.default();
export const isCallback = (err: unknown): boolean => err instanceof core.CallbackError;
`,
  // A CommonJS TypeScript file resolves the package's "require" types (obmennik.d.cts).
  'sample-cjs.cts': `import obmennik = require('obmennik');
export const hex: string = obmennik.sign({ param1: 1, param2: 2 }, 'KKKeeey');
export const ready: Promise<void> = obmennik.default();
export const isValidation = (err: unknown): boolean => err instanceof obmennik.ValidationError;
`,

  // What wrangler does: bundle with the workerd condition and keep the .wasm as a module import.
  'build-worker.mjs': `import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
fs.mkdirSync('worker-dist', { recursive: true });
fs.copyFileSync('node_modules/obmennik/obmennik_bg.wasm', 'worker-dist/obmennik_bg.wasm');
fs.copyFileSync('node_modules/obmennik/core/obmennik_core_bg.wasm', 'worker-dist/obmennik_core_bg.wasm');
execFileSync(process.argv[2], ['worker.js', '--bundle', '--format=esm', '--platform=neutral',
  '--conditions=workerd,worker,browser', '--external:./obmennik_bg.wasm', '--external:./obmennik_core_bg.wasm',
  '--outfile=worker-dist/worker.js'], { stdio: 'inherit' });
`,
  // A Worker that takes the gateway's callbacks (on /ipn with the SDK, on /ipn-core with
  // obmennik/core) and serves the exchanger proxy to browsers.
  'worker.js': `import { verifyCallbackRequest, CallbackError, ExchangerClient, createExchangerProxy } from 'obmennik';
import * as core from 'obmennik/core';

let proxy;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/ipn' && request.method === 'POST') {
      try {
        const cb = await verifyCallbackRequest(request, env.GATEWAY_SECRET_KEY, { versionKey: new URL(env.GATEWAY_URL).hostname });
        return Response.json({ ok: true, type: cb.type, id: cb.id, status: cb.status, amount: cb.amount });
      } catch (err) {
        if (err instanceof CallbackError) return Response.json({ ok: false, code: err.code }, { status: 400 });
        throw err;
      }
    }
    if (url.pathname === '/ipn-core' && request.method === 'POST') {
      try {
        const cb = await core.verifyCallbackRequest(request, env.GATEWAY_SECRET_KEY, { versionKey: new URL(env.GATEWAY_URL).hostname });
        return Response.json({ ok: true, type: cb.type, id: cb.id, status: cb.status, amount: cb.amount });
      } catch (err) {
        // The SDK's class: one set of error classes for both entries.
        if (err instanceof CallbackError) return Response.json({ ok: false, code: err.code, core: err instanceof core.CallbackError }, { status: 400 });
        throw err;
      }
    }
    if (url.pathname.startsWith('/exchange-api/')) {
      proxy ??= createExchangerProxy({
        client: new ExchangerClient({ baseUrl: env.EXCHANGER_URL, login: env.API_LOGIN, key: env.API_KEY }),
      });
      return proxy(request, { clientIp: request.headers.get('cf-connecting-ip') ?? undefined });
    }
    return new Response('not found', { status: 404 });
  },
};
`,

  // esbuild does not rewrite new URL(..., import.meta.url): import the .wasm as a file asset,
  // and copy the widget's core_bg.wasm next to the bundle, where the element looks for it.
  'build-browser.mjs': `import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
fs.mkdirSync('browser-dist', { recursive: true });
fs.copyFileSync('index.html', 'browser-dist/index.html');
fs.copyFileSync('node_modules/obmennik/widget/core_bg.wasm', 'browser-dist/core_bg.wasm');
execFileSync(process.argv[2], ['browser-entry.js', '--bundle', '--format=esm', '--platform=browser',
  '--loader:.wasm=file', '--asset-names=[name]', '--outfile=browser-dist/app.js'], { stdio: 'inherit' });
// The .wasm inlined into the script instead.
fs.writeFileSync('browser-dist/inline.html', '<!doctype html><meta charset="utf-8"><script type="module" src="inline.js"></script>');
execFileSync(process.argv[2], ['inline-entry.js', '--bundle', '--format=esm', '--platform=browser',
  '--loader:.wasm=binary', '--outfile=browser-dist/inline.js'], { stdio: 'inherit' });
`,
  'inline-entry.js': `import init, { sign } from 'obmennik';
import wasmBytes from 'obmennik/obmennik_bg.wasm';

await init(wasmBytes);
window.__result = { sign: sign({ param1: 1, param2: 2 }, 'KKKeeey'), bytes: wasmBytes.length };
`,
  // The page: the SDK in the browser (init, sign, verify), the proxy called with fetch, and the
  // widget. Under /broken/ nothing but the page and the bundle is served: there it records
  // what a user sees when the .wasm files cannot be loaded.
  'browser-entry.js': `import init, { sign, signJson, verifyCallback, CallbackError } from 'obmennik';
import wasmUrl from 'obmennik/obmennik_bg.wasm';
import initCore, * as core from 'obmennik/core';
import coreWasmUrl from 'obmennik/core/obmennik_core_bg.wasm';
import 'obmennik/widget';

const result = {};

function mountWidget(attributes) {
  const widget = document.createElement('obmennik-widget');
  for (const [name, value] of Object.entries(attributes)) widget.setAttribute(name, value);
  const events = new Promise((resolve) => {
    widget.addEventListener('obmennik:ready', (e) => resolve({ ready: e.detail }));
    widget.addEventListener('obmennik:error', (e) => resolve({ error: e.detail }));
  });
  document.body.append(widget);
  return events;
}

async function proxy(method, params) {
  const res = await fetch('/exchange-api/' + method, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params),
  });
  return { status: res.status, body: await res.json() };
}

async function broken() {
  try {
    sign({ param1: 1 }, 'k');
  } catch (err) {
    result.beforeInit = { name: err.name, message: err.message };
  }
  try {
    core.sign({ param1: 1 }, 'k');
  } catch (err) {
    result.coreBeforeInit = { name: err.name, message: err.message };
  }
  try {
    await init(); // the default: obmennik_bg.wasm next to the bundle, which is not served here
  } catch (err) {
    result.initError = err.message;
  }
  result.widget = await mountWidget({ endpoint: '/exchange-api', lang: 'en' });
}

async function working() {
  await init(new URL(wasmUrl, import.meta.url));
  const raw = JSON.stringify({ 'mychanger.icu': '2.3', type: 'payment', id: 1, amount: '153.00', status: 3 });
  const body = raw.slice(0, -1) + ',"sign":"' + signJson(raw, 'browser-secret') + '"}';
  try {
    verifyCallback(body.replace('153.00', '154.00'), 'browser-secret');
  } catch (err) {
    result.tamperedCode = err instanceof CallbackError ? err.code : String(err);
  }
  result.sign = sign({ param1: 1, param2: 2 }, 'KKKeeey');
  result.type = verifyCallback(body, 'browser-secret').type;

  // obmennik/core on its own wasm, next to the SDK.
  await initCore(new URL(coreWasmUrl, import.meta.url));
  result.core = { sign: core.sign({ param1: 1, param2: 2 }, 'KKKeeey'), type: core.verifyCallback(body, 'browser-secret').type };
  try {
    core.verifyCallback(body.replace('153.00', '154.00'), 'browser-secret');
  } catch (err) {
    result.core.tampered = { code: err.code, rootClass: err instanceof CallbackError };
  }

  result.directions = await proxy('get_directions', {});
  result.calc = await proxy('get_calc', { direction_id: 2, calc_amount: '10000' });
  result.refused = await proxy('get_exchanges', {});
  // The last direction, chosen by currency id: the widget can only show its titles if it
  // loaded them through the proxy.
  const pick = result.directions.body.data.at(-1);
  result.pick = pick;
  result.widget = await mountWidget({
    endpoint: '/exchange-api', lang: 'en', give: pick.currency_give_id, get: pick.currency_get_id,
  });
}

(location.pathname.startsWith('/broken/') ? broken() : working()).then(
  () => { window.__result = result; },
  (err) => { window.__result = { ...result, failed: String(err && err.stack || err) }; },
);
`,
  'index.html': '<!doctype html><meta charset="utf-8"><title>bundle</title><script type="module" src="app.js"></script>',
  // Vite and webpack 5, as the README's "Browsers and bundlers" shows them: `init()` with no
  // argument (each bundler turns `new URL('….wasm', import.meta.url)` into an asset of its
  // build) and `import 'obmennik/widget'`, with no bundler config about obmennik.
  'bundler-sdk.js': `import init, { sign, signJson, verifyCallback, CallbackError } from 'obmennik';
import initCore, * as core from 'obmennik/core';

async function main() {
  await init();
  const raw = JSON.stringify({ 'mychanger.icu': '2.3', type: 'payment', id: 1, amount: '153.00', status: 3 });
  const signature = signJson(raw, 'browser-secret');
  const body = raw.slice(0, -1) + ',"sign":"' + signature + '"}';
  const result = { sign: sign({ param1: 1, param2: 2 }, 'KKKeeey'), signJson: signature, type: verifyCallback(body, 'browser-secret').type };
  try {
    verifyCallback(body.replace('153.00', '154.00'), 'browser-secret');
  } catch (err) {
    result.tamperedCode = err instanceof CallbackError ? err.code : String(err);
  }
  await initCore();
  result.core = { sign: core.sign({ param1: 1, param2: 2 }, 'KKKeeey'), type: core.verifyCallback(body, 'browser-secret').type };
  return result;
}
main().then((r) => { window.__result = r; }, (err) => { window.__result = { failed: String(err && err.stack || err) }; });
`,
  'bundler-widget.js': `import 'obmennik/widget';

const widget = document.createElement('obmennik-widget');
widget.setAttribute('endpoint', '/exchange-api');
widget.setAttribute('lang', 'en');
widget.addEventListener('obmennik:ready', (e) => { window.__result = { ready: e.detail }; });
widget.addEventListener('obmennik:error', (e) => { window.__result = { error: e.detail }; });
document.body.append(widget);
`,
  'vite-sdk.html': '<!doctype html><meta charset="utf-8"><title>vite sdk</title><script type="module" src="./bundler-sdk.js"></script>',
  'vite-widget.html': '<!doctype html><meta charset="utf-8"><title>vite widget</title><script type="module" src="./bundler-widget.js"></script>',
  // argv[2]: vite's package folder. A vite.config.js with only the two pages as inputs.
  'build-vite.mjs': `import path from 'node:path';
import { pathToFileURL } from 'node:url';
const { build } = await import(pathToFileURL(path.join(process.argv[2], 'dist/node/index.js')).href);
await build({
  root: process.cwd(), configFile: false, logLevel: 'warn',
  build: { outDir: 'vite-dist', rollupOptions: { input: { sdk: 'vite-sdk.html', widget: 'vite-widget.html' } } },
});
`,
  // argv[2]: webpack's package folder. The plainest webpack.config.js: mode and entries.
  'build-webpack.mjs': `import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const webpack = createRequire(import.meta.url)(process.argv[2]);
const stats = await new Promise((resolve, reject) => webpack({
  mode: 'production', context: process.cwd(),
  entry: { sdk: './bundler-sdk.js', widget: './bundler-widget.js' },
  output: { path: path.resolve('webpack-dist'), clean: true },
}, (err, s) => (err ? reject(err) : resolve(s))));
if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
for (const name of ['sdk', 'widget']) {
  fs.writeFileSync(\`webpack-dist/\${name}.html\`, \`<!doctype html><meta charset="utf-8"><body><script src="\${name}.js"></script>\`);
}
`,
};
