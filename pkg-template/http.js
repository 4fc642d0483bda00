// ---- obmennik HTTP loop (pkg-template/http.js, appended to wasm-bindgen's glue by
// scripts/build.mjs, so it sees the module's generated functions) ----
//
// The clients are sans I/O (src/http.rs): Rust builds every request and decides what every
// answer means (retry or not, how long to wait, the next request, the result or the error).
// This loop only executes: one attempt through `obmennikSend` (send-fetch.js or, in Node,
// send-node.js) or an injected fetch, with the client's timeout and the caller's AbortSignal,
// its outcome handed to Rust, then send, wait or settle as told. It replaces Rust futures,
// which cost the .wasm a state machine per operation and each awaited promise two closures
// registered for finalization.

/** Runs flight `id` of src/http.rs from its first request to its end, telling `onRequest`
 * (when given) of every attempt. */
async function obmennikConverse(id, url, method, headers, body, fetchFn, timeoutMs, signal, onRequest) {
  let init = { method, headers, body, signal: undefined };
  const seen = onRequest === undefined ? undefined : { attempt: 1, started: 0, status: undefined, error: undefined };
  for (;;) {
    if (seen !== undefined) seen.started = performance.now();
    const step = await obmennikAttempt(id, url, init, fetchFn, timeoutMs, signal, seen);
    if (seen !== undefined) obmennikReport(onRequest, url, init.method, seen, step);
    if (step[0] === 0) return step[1];
    if (step[0] === 1) throw step[1];
    if (step[0] === 2) {
      await obmennikWait(step[1], signal);
    } else {
      url = step[1];
      init = { method: step[2], headers: step[3], body: step[4], signal: undefined };
    }
  }
}

const OBMENNIK_OUTCOMES = ['done', 'fail', 'retry', 'next'];

/** Calls `onRequest` with a `RequestEvent`: the URL, never the headers or body (they hold the
 * keys). What it throws is dropped, so a broken logger cannot fail a payment call. */
function obmennikReport(onRequest, url, method, seen, step) {
  const event = {
    url,
    method,
    attempt: seen.attempt,
    status: seen.status,
    error: seen.error,
    elapsedMs: performance.now() - seen.started,
    outcome: OBMENNIK_OUTCOMES[step[0]],
    retryInMs: step[0] === 2 ? step[1] : undefined,
  };
  seen.attempt = step[0] === 2 ? seen.attempt + 1 : 1;
  try {
    onRequest(event);
  } catch {
    // Dropped on purpose (see above).
  }
}

/** Waits `ms` before a retry, or less when the caller aborts: the next attempt then sees
 * the abort and settles the call at once instead of after a `Retry-After` of minutes. */
function obmennikWait(ms, signal) {
  return new Promise((resolve) => {
    if (signal === undefined) {
      setTimeout(resolve, ms);
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** One attempt, reported to Rust as it happened; never throws. `attempt.timedOut` is set by
 * the transport when the client's timer ended it. `seen`, when given, gets the answer's status
 * or why none came, in the order Rust's `http_read` reads a failure. */
async function obmennikAttempt(id, url, init, fetchFn, timeoutMs, signal, seen) {
  if (signal !== undefined && signal.aborted) {
    if (seen !== undefined) [seen.status, seen.error] = [undefined, 'aborted'];
    return __obmennikHttpRead(id, 0, undefined, undefined, undefined, false);
  }
  const attempt = { timedOut: false };
  let answer;
  let error;
  try {
    answer = await (fetchFn === undefined
      ? obmennikSend(url, init, timeoutMs, signal, attempt)
      : obmennikFetch((i) => fetchFn(new Request(url, i)), init, timeoutMs, signal, attempt));
    if (answer === undefined) error = null;
  } catch (cause) {
    error = cause;
  }
  if (seen !== undefined) {
    seen.status = error === undefined ? answer[0] : undefined;
    seen.error = error === undefined ? undefined
      : signal !== undefined && signal.aborted ? 'aborted' : attempt.timedOut ? 'timeout' : 'network';
  }
  return error === undefined
    ? __obmennikHttpRead(id, answer[0], answer[1], answer[2], undefined, false)
    : __obmennikHttpRead(id, 0, undefined, undefined, error, attempt.timedOut);
}

/** `send(init)`, a fetch, as `[status, retryAfter, bytes]` (undefined when an injected fetch
 * resolved to something that is not a `Response`), under one AbortController that carries both
 * the timeout and the caller's abort: AbortSignal.any is missing before Node 20.3 and, where
 * present, keeps its sources alive for the signal's life. */
async function obmennikFetch(send, init, timeoutMs, signal, attempt) {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    attempt.timedOut = true;
    controller.abort();
  }, timeoutMs);
  const forward = () => controller.abort(signal.reason);
  if (signal !== undefined) signal.addEventListener('abort', forward);
  try {
    init.signal = controller.signal;
    const response = await send(init);
    if (response === null || typeof response !== 'object' || !('status' in response)) return undefined;
    const retryAfter = response.headers.get('retry-after') ?? undefined;
    return [response.status, retryAfter, new Uint8Array(await response.arrayBuffer())];
  } finally {
    clearTimeout(timer);
    if (signal !== undefined) signal.removeEventListener('abort', forward);
  }
}
