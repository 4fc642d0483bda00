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
} from 'obmennik';
import type {
  SignValue, SignParams, FieldIssue, VerifyCallbackOptions, CallbackBase, OperationCallback,
  DisputeCallback, OtherCallback, GatewayCallback, CallbackErrorCode, TransportErrorKind,
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
