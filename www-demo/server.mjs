// `npm start`: a partner site on http://127.0.0.1:8080 with the <obmennik-widget> on it, the
// exchanger proxy from the built package mounted at /exchange-api, and behind it the sandbox
// exchanger in this same process — or a real exchanger when EXCHANGER_URL, API_LOGIN and
// API_KEY (and optionally PARTNER_ID) are set. The key never leaves this server.
//
//   node www-demo/server.mjs            (after `node scripts/build.mjs`)
//   import { startDemo } from './www-demo/server.mjs'   (the widget's e2e tests)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startExchanger, DEMO_LOGIN, DEMO_KEY } from './sandbox/exchanger.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const pkgDir = path.join(root, 'pkg');
const MOUNT = '/exchange-api';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json',
};

async function loadSdk() {
  const entry = path.join(pkgDir, 'node.mjs');
  if (!fs.existsSync(entry)) throw new Error('pkg/ is missing: run `node scripts/build.mjs` (npm start does) first');
  const sdk = await import(pathToFileURL(entry).href);
  for (const name of ['ExchangerClient', 'createExchangerProxy', 'toNodeListener']) {
    if (typeof sdk[name] !== 'function') throw new Error(`the built package has no ${name}: rebuild pkg/ from a tree with the exchanger client and proxy`);
  }
  return sdk;
}

/** Serves a file from `base`, refusing paths that climb out of it. */
function serveFile(res, base, rel) {
  const file = path.resolve(base, rel);
  if (!file.startsWith(base + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(data);
  });
}

/**
 * Starts the demo. Options: port (8080; 0 = any free), host ('127.0.0.1'), env (process.env:
 * EXCHANGER_URL, API_LOGIN, API_KEY, PARTNER_ID pick a real exchanger), and for the sandbox
 * `hostile` (adds direction 13 whose texts carry script payloads) and `tickMs`.
 * Resolves to { url, backend, sandbox (null with a real exchanger), close() }.
 */
export async function startDemo({ port = 8080, host = '127.0.0.1', env = process.env, hostile = false, tickMs = 1000 } = {}) {
  const sdk = await loadSdk();
  const given = ['EXCHANGER_URL', 'API_LOGIN', 'API_KEY'].filter((name) => env[name]);
  // Two of three set is a typo, not a wish for the sandbox: say so rather than quietly serve it.
  if (given.length > 0 && given.length < 3) {
    const missing = ['EXCHANGER_URL', 'API_LOGIN', 'API_KEY'].filter((name) => !env[name]);
    throw new Error(`a real exchanger needs EXCHANGER_URL, API_LOGIN and API_KEY: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set (unset all three for the sandbox)`);
  }
  const real = given.length === 3;
  const sandbox = real ? null : await startExchanger({ hostile, tickMs });
  let proxy;
  try {
    const client = new sdk.ExchangerClient({
      baseUrl: real ? env.EXCHANGER_URL : sandbox.url,
      login: real ? env.API_LOGIN : DEMO_LOGIN,
      key: real ? env.API_KEY : DEMO_KEY,
    });
    // As given: createExchangerProxy names a PARTNER_ID that is not an id.
    const partnerId = env.PARTNER_ID || undefined;
    proxy = sdk.toNodeListener(sdk.createExchangerProxy({ client, partnerId }));
  } catch (e) {
    await sandbox?.close();
    throw e;
  }

  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://demo');
    if (pathname === MOUNT || pathname.startsWith(`${MOUNT}/`)) return proxy(req, res);
    if (pathname.startsWith('/pkg/')) return serveFile(res, pkgDir, decodeURIComponent(pathname.slice(5)));
    return serveFile(res, here, decodeURIComponent(pathname.slice(1)) || 'index.html');
  });
  await new Promise((resolve, reject) => {
    server.once('error', async (e) => {
      await sandbox?.close();
      reject(e.code === 'EADDRINUSE' ? new Error(`${host}:${port} is in use: stop what runs there or set PORT to another port`, { cause: e }) : e);
    });
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}/`;
  return {
    url,
    backend: real ? `exchanger at ${env.EXCHANGER_URL}` : `sandbox exchanger at ${sandbox.url} (in this process)`,
    sandbox,
    async close() {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
      await sandbox?.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const demo = await startDemo({ port: Number(process.env.PORT || 8080) }).catch((e) => {
    console.error(`obmennik demo: ${e.message}`);
    process.exit(1);
  });
  console.log(`obmennik demo: ${demo.url}`);
  console.log(`  widget proxy: ${demo.url.replace(/\/$/, '')}${MOUNT}/<method>`);
  console.log(`  backend:      ${demo.backend}`);
  if (demo.sandbox) console.log('  (set EXCHANGER_URL, API_LOGIN, API_KEY [, PARTNER_ID] to use a real exchanger)');
  const stop = () => demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
