// The exchanger, callback and proxy typings as a TypeScript user meets them: a sample that
// names every one of those exports compiles with tsc --strict against the built package
// (lib ES2022 + DOM, no @types/node), and the sample's expectations are checked by tsc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const SAMPLE = `
import {
  ExchangerClient, ExchangerError, TransportError, CallbackError, ValidationError,
  confirmBidCallback, createBidCallbackHandler, createExchangerProxy, toNodeListener,
  type ExchangerClientOptions, type ExchangerCallOptions, type CreateBidOptions, type ExchangerMethod,
  type ExchangerProxyOptions, type ProxyRequestInfo, type ExchangerProxyHandler, type ProxyFailure, type ProxyError,
  type ProxyErrorKind, type ExchangerErrorKind, type BidCallbackInput, type BidCallbackHandlerOptions,
  type WaitUntilContext, type BidCallbackHandler, type BidCallbackConfirmation, type NodeRequestLike,
  type NodeResponseLike, type NodeListener, type ExchangerTestResult, type DirectionCurrencies, type ExchangerCurrency,
  type DirectionSummary, type ExchangeDirection, type DirectionField, type DirectionFieldOption, type DirectionTexts,
  type CalcResult, type Bid, type ApiActions, type Exchange, type BidStatusChange, type ItemList, type PartnerInfo,
  type PartnerPayoutCurrency, type PartnerLink, type PartnerPayout, type PartnerPayoutCreated, type DirectionFilter,
  type GetDirectionRequest, type GetCalcRequest, type ExchangesFilter, type CreateBidRequest, type BidRef,
  type PartnerLinksFilter, type PartnerPayoutsFilter, type AddPartnerPayoutRequest,
} from 'obmennik';

const options: ExchangerClientOptions = { baseUrl: 'https://x.example/api/userapi/v1', login: 'l', key: 'k', lang: 'en_US', maxRetries: 1 };
const client = new ExchangerClient(options);
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
  void [info, firstCurrency, summaries, choice, texts, min, changed, actions, replayed, statuses, again, history, found,
    payoutCurrency, links, partnerBids, payouts, created];
}

export function errors(err: unknown): string {
  if (err instanceof ExchangerError) {
    const kind: ExchangerErrorKind = err.kind;
    const fields: Record<string, string> = err.fields;
    return \`\${kind} \${err.code} \${err.method} \${err.apiId ?? ''} \${err.hint ?? ''} \${Object.keys(fields)}\`;
  }
  if (err instanceof TransportError) return \`\${err.kind} \${err.apiId ?? ''}\`;
  if (err instanceof CallbackError && err.code === 'malformed') return String(err.issues?.length);
  if (err instanceof ValidationError) return err.issues.map((i) => i.field).join();
  return 'other';
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
  const allow: ExchangerMethod[] = ['get_calc', 'create_bid', 'bid_info'];
  const proxyOptions: ExchangerProxyOptions = { client, allow, partnerId: 7, callbackUrl: 'https://s.example/cb', cors: { origins: ['https://p.example'] }, maxBodyBytes: 8192, rateLimit: { perMinute: 60 }, trustProxy: false };
  const handler: ExchangerProxyHandler = createExchangerProxy(proxyOptions);
  const info: ProxyRequestInfo = { clientIp: '203.0.113.7' };
  const res = await handler(new Request('https://shop.example/api/get_calc', { method: 'POST' }), info);
  const body = (await res.json()) as ProxyFailure | { data: CalcResult };
  const listener: NodeListener = toNodeListener(handler);
  const req: NodeRequestLike = { method: 'POST', url: '/api/get_calc', headers: {} };
  const out: NodeResponseLike = { headersSent: false };
  void [listener, req, out];
  if ('error' in body) {
    const error: ProxyError = body.error;
    const kind: ExchangerErrorKind | ProxyErrorKind = error.kind as ExchangerErrorKind | ProxyErrorKind;
    return \`\${kind} \${error.code} \${error.message} \${Object.keys(error.fields)}\`;
  }
  return body.data.sum_get_com;
}
`;

test('tsc --strict accepts a sample that uses every exchanger, callback and proxy export', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obmennik-typings-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(path.join(root, 'pkg'), path.join(dir, 'node_modules', 'obmennik'), 'dir');
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module","private":true}');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false,
      },
      files: ['sample.ts'],
    }));
    fs.writeFileSync(path.join(dir, 'sample.ts'), SAMPLE);
    // Every name this suite is about must appear in the sample.
    const dts = fs.readFileSync(path.join(root, 'pkg/obmennik.d.ts'), 'utf8');
    const mine = /Exchang|Bid|Direction|Calc|Partner|Proxy|Node(Request|Response|Listener)|ItemList|ApiActions|WaitUntil|GetCalc|BidRef|confirmBid|toNodeListener/;
    const merchant = /[Pp]aymentDirection|DirectionMethod|DirectionRequisite/; // the api2 client's
    const exported = [...dts.matchAll(/^export (?:declare )?(?:function|class|interface|type) (\w+)/gm)].map((m) => m[1]).filter((n) => mine.test(n) && !merchant.test(n));
    assert.ok(exported.length >= 45, `found ${exported.length} exports`);
    assert.deepEqual(exported.filter((n) => !new RegExp(`\\b${n}\\b`).test(SAMPLE)), []);
    try {
      execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--project', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
    } catch (err) {
      assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
