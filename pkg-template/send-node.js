// ---- obmennik Node transport (pkg-template/send-node.js, appended to the nodejs glue after
// http.js by scripts/build.mjs) ----
//
// In Node the clients send through node:http, as stripe-node does, not through the global
// fetch: undici's fetch costs a loopback call about 280 µs more than http.request (WHATWG
// streams, Headers and Response objects on both sides), which is more than the whole SDK
// adds. Node ≥ 19's global agents keep connections alive as fetch does; redirects are not
// followed (a 3xx reaches the client as an unexpected status, which is safer for POSTs).

const obmennikZlib = {
  gzip: 'gunzip', 'x-gzip': 'gunzip', deflate: 'inflate', br: 'brotliDecompress',
};

/** One request through node:http(s), settled as `[status, retryAfter, bytes]`; rejects as
 * fetch does (with the system error, whose `code` the client reports) or with the signal's
 * reason once `init.signal` aborts. */
function obmennikSend(url, init) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = require(target.protocol === 'https:' ? 'node:https' : 'node:http');
    const headers = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    const signal = init.signal;
    let settled = false;
    const fail = (error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', abort);
      request.destroy();
      reject(error);
    };
    const abort = () => fail(signal.reason);
    const request = transport.request(target, { method: init.method, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', fail);
      response.on('close', () => {
        if (!response.complete) fail(Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' }));
      });
      response.on('end', () => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', abort);
        let bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        const coding = obmennikZlib[String(response.headers['content-encoding'] ?? '').trim().toLowerCase()];
        try {
          if (coding !== undefined) bytes = require('node:zlib')[`${coding}Sync`](bytes);
        } catch (error) {
          reject(error);
          return;
        }
        resolve([response.statusCode, response.headers['retry-after'], bytes]);
      });
    });
    request.on('error', fail);
    signal.addEventListener('abort', abort);
    request.end(init.body);
  });
}
