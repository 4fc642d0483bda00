// The files of the scratch user project that tests/package/package.test.mjs installs the packed
// package into: each is what a user of that runtime would write.
const callbackProgram = (imports) => `${imports}
const secret = process.env.SECRET;
const raw = JSON.stringify({ 'mychanger.icu': '2.3', type: 'payment', id: 1, amount: '153.00', status: 3 });
const body = raw.slice(0, -1) + ',"sign":"' + signJson(raw, secret) + '"}';
const cb = verifyCallback(body, secret);
let tamperedCode;
try {
  verifyCallback(body.replace('153.00', '154.00'), secret);
} catch (err) {
  if (!(err instanceof CallbackError)) throw err;
  tamperedCode = err.code;
}
console.log(JSON.stringify({ sign: sign({ param1: 1, param2: 2 }, 'KKKeeey'), callbackType: cb.type, tamperedCode }));
`;

export const SCRATCH_FILES = {
  'esm.mjs': callbackProgram("import { sign, signJson, verifyCallback, CallbackError } from 'obmennik';"),
  'cjs.cjs': callbackProgram("const { sign, signJson, verifyCallback, CallbackError } = require('obmennik');"),

  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
      lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false,
    },
    files: ['sample.ts'],
  }),

  // Uses every export of the package, so tsc --strict checks the whole public surface.
  'sample.ts': `import init, {
  sign, signingString, signJson, verifyCallback, verifyCallbackRequest,
  ObmennikError, ValidationError, CallbackError, MerchantError, ExchangerError, TransportError,
  MerchantClient, isFinal, paymentDirection, paymentDirections, buildPayment, buildWithdraw,
  buildWithdrawCheck, buildAcquire, buildAcquireConfirm, buildAcquireResend, buildStatus, buildBalance,
  buildBalanceAll, buildWithdrawLimit, buildDispute, buildDisputeStatus, buildEcho,
} from 'obmennik';
import type {
  SignValue, SignParams, FieldIssue, VerifyCallbackOptions, CallbackBase, OperationCallback,
  DisputeCallback, OtherCallback, GatewayCallback, CallbackErrorCode, TransportErrorKind,
  CallOptions, OperationKind, MerchantConfig, MerchantClientOptions, MerchantRequest, PaymentResult,
  WithdrawResult, AcquireResult, OperationStatus, RecoveredOperation, WithdrawReceipt, Balances,
  BalancesByCurrency, WithdrawLimits, DisputeInfo, EchoResult, DirectionMethod, PaymentDirection,
  DirectionRequisite, UserInfo, PayerCard, CreateParams, PaymentParams, WithdrawParams, AcquireParams,
  OperationRef, AcquireConfirmParams, AcquireResendParams, DisputeParams, StatusParams,
  DisputeStatusParams, MerchantErrorCode,
} from 'obmennik';

export async function demo(request: Request): Promise<string> {
  await init();
  const value: SignValue = [1, 'a', { nested: true }];
  const params: SignParams = { shopID: 522, amount: 500.52, list: value, skipped: undefined };
  const hex: string = sign(params, 'key');
  const text: string = signingString(params, 'key') + signJson('{"a":1}', 'key');
  const options: VerifyCallbackOptions = { versionKey: 'mychanger.icu', minVersion: 2, maxBytes: 65536 };
  const cb: GatewayCallback = verifyCallback('{}', ['new', 'old'], options);
  const base: CallbackBase = cb;
  if (cb.type === 'dispute') {
    const dispute = cb as DisputeCallback;
    return String(dispute.operationID);
  }
  if (cb.type === 'payment' || cb.type === 'withdraw') {
    const op = cb as OperationCallback;
    return op.statusText + op.amount;
  }
  const other: OtherCallback = cb;
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
    return code;
  }
  if (err instanceof MerchantError) return err.code + (err.info ?? '') + err.description + String(err.retryable);
  if (err instanceof ExchangerError) return err.kind + err.code + err.errorText + Object.keys(err.fields).join(',');
  if (err instanceof TransportError) {
    const kind: TransportErrorKind = err.kind;
    return kind + String(err.status ?? '') + (err.bodyExcerpt ?? '');
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
  const balances: Balances = await client.balanceAll().then(() => ({}));
  const all: BalancesByCurrency = await client.balanceAll();
  const limits: WithdrawLimits = await client.withdrawLimit();
  const dispute: DisputeParams = { id: status.id, amount: 100, comment: 'paid late' };
  const disputeId: number = await client.dispute(dispute);
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
    await client.balance();
  } catch (err) {
    if (err instanceof MerchantError) code = err.code;
  }
  return [requisite, receipt.type, receipt.bytes.length, done, balances, all, limits.daily, info.statusText,
    echo.payload, method, needs, requests.length, cb.type, code].join();
}
`,

  // What wrangler does: bundle with the workerd condition and keep the .wasm as a module import.
  'build-worker.mjs': `import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
fs.mkdirSync('worker-dist', { recursive: true });
fs.copyFileSync('node_modules/obmennik/obmennik_bg.wasm', 'worker-dist/obmennik_bg.wasm');
execFileSync(process.argv[2], ['worker.js', '--bundle', '--format=esm', '--platform=neutral',
  '--conditions=workerd,worker,browser', '--external:./obmennik_bg.wasm', '--outfile=worker-dist/worker.js'], { stdio: 'inherit' });
`,
  'worker.js': `import { verifyCallbackRequest, CallbackError } from 'obmennik';

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/ipn' && request.method === 'POST') {
      try {
        const cb = await verifyCallbackRequest(request, env.SECRET);
        return Response.json({ ok: true, type: cb.type, amount: cb.amount });
      } catch (err) {
        if (err instanceof CallbackError) return Response.json({ ok: false, code: err.code }, { status: 400 });
        throw err;
      }
    }
    return new Response('not found', { status: 404 });
  },
};
`,

  // esbuild does not rewrite new URL(..., import.meta.url): import the .wasm as a file asset.
  'build-browser.mjs': `import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
fs.mkdirSync('browser-dist', { recursive: true });
fs.copyFileSync('index.html', 'browser-dist/index.html');
execFileSync(process.argv[2], ['browser-entry.js', '--bundle', '--format=esm', '--platform=browser',
  '--loader:.wasm=file', '--asset-names=[name]', '--outfile=browser-dist/app.js'], { stdio: 'inherit' });
`,
  'browser-entry.js': `import init, { sign, signJson, verifyCallback, CallbackError } from 'obmennik';
import wasmUrl from 'obmennik/obmennik_bg.wasm';

await init(new URL(wasmUrl, import.meta.url));
const raw = JSON.stringify({ 'mychanger.icu': '2.3', type: 'payment', id: 1, amount: '153.00', status: 3 });
const body = raw.slice(0, -1) + ',"sign":"' + signJson(raw, 'browser-secret') + '"}';
let tamperedCode;
try {
  verifyCallback(body.replace('153.00', '154.00'), 'browser-secret');
} catch (err) {
  tamperedCode = err instanceof CallbackError ? err.code : String(err);
}
window.__result = { sign: sign({ param1: 1, param2: 2 }, 'KKKeeey'), type: verifyCallback(body, 'browser-secret').type, tamperedCode };
`,
  'index.html': '<!doctype html><meta charset="utf-8"><title>bundle</title><script type="module" src="app.js"></script>',
};
