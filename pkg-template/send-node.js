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
 * fetch does, with the system error (whose `code` the client reports), or with the caller's
 * abort reason, or at the client's timeout (setting `attempt.timedOut`). A timer and a
 * listener, not an AbortController per attempt as fetch needs: that costs Node about 4 µs. */
function obmennikSend(url, init, timeoutMs, signal, attempt) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = require(target.protocol === 'https:' ? 'node:https' : 'node:http');
    const headers = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    let settled = false;
    let request;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      if (signal !== undefined) signal.removeEventListener('abort', abort);
    };
    const fail = (error) => {
      if (settled) return;
      settle();
      request?.destroy();
      reject(error);
    };
    const abort = () => fail(signal.reason);
    const timer = setTimeout(() => {
      attempt.timedOut = true;
      fail(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    const onResponse = (response) => {
      if (Number(response.headers['content-length']) > OBMENNIK_MAX_ANSWER) {
        fail(new Error('the answer is longer than 32 MiB'));
        return;
      }
      const chunks = [];
      let length = 0;
      response.on('data', (chunk) => {
        length += chunk.length;
        if (length > OBMENNIK_MAX_ANSWER) fail(new Error('the answer is longer than 32 MiB'));
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('close', () => {
        if (!response.complete) fail(Object.assign(new Error('the connection closed before the answer ended'), { code: 'ECONNRESET' }));
      });
      response.on('end', () => {
        if (settled) return;
        settle();
        let bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        const coding = obmennikZlib[String(response.headers['content-encoding'] ?? '').trim().toLowerCase()];
        try {
          if (coding !== undefined) bytes = require('node:zlib')[`${coding}Sync`](bytes, { maxOutputLength: OBMENNIK_MAX_ANSWER });
        } catch (error) {
          reject(error instanceof RangeError ? new Error(`the ${coding} answer inflates to more than 32 MiB`) : error);
          return;
        }
        resolve([response.statusCode, response.headers['retry-after'], bytes]);
      });
    };
    // A header Node refuses (a control character, say) throws here, where fetch would reject.
    try {
      request = transport.request(target, { method: init.method, headers }, onResponse);
    } catch (error) {
      fail(error);
      return;
    }
    request.on('error', fail);
    if (signal !== undefined) signal.addEventListener('abort', abort);
    request.end(init.body);
  });
}
