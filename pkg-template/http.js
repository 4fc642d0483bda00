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

/** Runs flight `id` of src/http.rs from its first request to its end; `timed`: each attempt's
 * time goes to Rust, for the client's `onRequest`. */
async function obmennikConverse(id, url, method, headers, body, fetchFn, timeoutMs, signal, timed) {
  let init = { method, headers, body, redirect: 'manual', signal: undefined };
  for (;;) {
    const step = await obmennikAttempt(id, url, init, fetchFn, timeoutMs, signal, timed ? performance.now() : undefined);
    if (step[0] === 0) return step[1];
    if (step[0] === 1) throw step[1];
    if (step[0] === 2) {
      await obmennikWait(step[1], signal);
    } else {
      url = step[1];
      init = { method: step[2], headers: step[3], body: step[4], redirect: 'manual', signal: undefined };
    }
  }
}

// No answer of either API comes near this: a longer one (as sent, or as fetch or zlib inflate
// it) is a network error, not gigabytes in the process's memory and then in the .wasm's.
const OBMENNIK_MAX_ANSWER = 32 * 1024 * 1024;

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

/** One attempt, reported to Rust as it happened (with its time since `started`, when given);
 * never throws. `attempt.timedOut` is set by the transport when the client's timer ended it. */
async function obmennikAttempt(id, url, init, fetchFn, timeoutMs, signal, started) {
  const elapsed = () => (started === undefined ? 0 : performance.now() - started);
  if (signal !== undefined && signal.aborted) {
    return __obmennikHttpRead(id, 0, undefined, undefined, undefined, false, elapsed());
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
  return error === undefined
    ? __obmennikHttpRead(id, answer[0], answer[1], answer[2], undefined, false, elapsed())
    : __obmennikHttpRead(id, 0, undefined, undefined, error, attempt.timedOut, elapsed());
}

/** `send(init)`, a fetch, as `[status, retryAfter, bytes]` (undefined when an injected fetch
 * resolved to something that is not a `Response`), under one AbortController that carries both
 * the timeout and the caller's abort: AbortSignal.any is missing before Node 20.3 and, where
 * present, keeps its sources alive for the signal's life. `init.redirect` is `manual`: a
 * followed redirect would carry API-KEY or a signed body to wherever `Location` says; a
 * browser shows it as an `opaqueredirect` of status 0, which Rust reads as a redirect. */
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
    // Response.error() (an injected fetch's or a service worker's) has status 0 too, which
    // Rust reads as an opaque redirect: it is a network failure.
    if (response.type === 'error') throw new TypeError('the fetch resolved to a network error (Response.error())');
    const retryAfter = response.headers.get('retry-after') ?? undefined;
    return [response.status, retryAfter, await obmennikBody(response)];
  } catch (error) {
    controller.abort(); // stops a download given up on (too long) with its connection
    throw error;
  } finally {
    clearTimeout(timer);
    if (signal !== undefined) signal.removeEventListener('abort', forward);
  }
}

/** A fetch answer's bytes, read as they arrive so that one past OBMENNIK_MAX_ANSWER (fetch
 * inflates a compressed one on its own) stops the download instead of filling memory. */
async function obmennikBody(response) {
  const tooLong = () => new Error('the answer is longer than 32 MiB');
  if (Number(response.headers.get('content-length')) > OBMENNIK_MAX_ANSWER) throw tooLong();
  return fastReadCapped(response, OBMENNIK_MAX_ANSWER, tooLong);
}
