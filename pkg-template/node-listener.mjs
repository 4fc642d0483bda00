// toNodeListener: runs a Fetch-style handler (createExchangerProxy's) on node:http, Express
// or anything else with Node's (req, res). Platform glue only: the proxy's logic is in Rust.
// It imports no Node module, so it loads in every runtime the package supports.

const INTERNAL = JSON.stringify({
  error: { kind: 'internal', code: 0, message: 'Internal error in the proxy.', fields: {} },
});

/** The request's URL. A Host that is not a bare host[:port], or makes no URL (`a:b:c`), is the
 * client's garbage, not a fault of the proxy: `localhost` stands in for it. */
function requestUrl(req) {
  const scheme = req.socket && req.socket.encrypted ? 'https' : 'http';
  const target = req.originalUrl ?? req.url ?? '/';
  const host = String(req.headers.host ?? '');
  for (const name of /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? [host, 'localhost'] : ['localhost']) {
    try {
      return new URL(`${scheme}://${name}${target}`).href;
    } catch {
      // the next candidate
    }
  }
  return `${scheme}://localhost/`;
}

/** The request as a Fetch API Request, streaming its body (or a body Express already parsed). */
function toRequest(req, res) {
  const url = requestUrl(req);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
  }
  const controller = new AbortController();
  // The browser went away before the answer: stop the upstream call too.
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // Only a consumed stream means a framework read the body: body-parser 1.x sets req.body to
    // {} even for a type it skips, leaving the real body unread. Consumed with nothing kept:
    // no body, rather than waiting on a stream that has already ended.
    if (req.readableEnded) {
      if (req.body !== undefined) init.body = parsedBody(req.body, headers);
    } else {
      init.body = bodyStream(req);
      init.duplex = 'half';
    }
  }
  return new Request(url, init);
}

/** A body a framework already parsed (express.json(), express.urlencoded()), sent again. */
function parsedBody(body, headers) {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  const type = headers.get('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(body).toString();
  headers.set('content-type', 'application/json');
  return JSON.stringify(body ?? {});
}

/** The request body as a web stream, with backpressure; a cancelled read drains the rest. */
function bodyStream(req) {
  let done = false;
  return new ReadableStream({
    start(controller) {
      req.on('data', (chunk) => {
        if (done) return;
        controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
        if (controller.desiredSize <= 0) req.pause();
      });
      req.on('end', () => {
        if (!done) controller.close();
        done = true;
      });
      req.on('error', (err) => {
        if (!done) controller.error(err);
        done = true;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
}

async function send(req, res, response) {
  const headers = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = response.body ? new Uint8Array(await response.arrayBuffer()) : undefined;
  const unread = !req.complete;
  // An oversized body is not read to its end: answer, then close the connection.
  if (unread) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
  if (unread) res.once('finish', () => req.destroy());
}

function fail(res, next, err) {
  if (typeof next === 'function') return next(err);
  if (res.headersSent) return res.destroy();
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(INTERNAL);
}

/**
 * Adapts a Fetch-style handler `(request, { clientIp }) => Promise<Response>` to Node's
 * `(req, res)`, for `http.createServer(...)` or an Express route. The client's IP comes from
 * the socket (for the proxy's rate limit). A body Express already parsed is sent on as is.
 */
export function toNodeListener(handler) {
  if (typeof handler !== 'function') {
    throw new TypeError('toNodeListener needs a handler such as the one createExchangerProxy returns');
  }
  return function obmennikListener(req, res, next) {
    let request;
    try {
      request = toRequest(req, res);
    } catch (err) {
      return fail(res, next, err);
    }
    const clientIp = String(req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');
    Promise.resolve()
      .then(() => handler(request, { clientIp }))
      .then((response) => send(req, res, response))
      .catch((err) => fail(res, next, err));
  };
}
