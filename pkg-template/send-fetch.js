// ---- obmennik fetch transport (pkg-template/send-fetch.js, appended to the web glue after
// http.js by scripts/build.mjs): browsers, workers and edge runtimes send through fetch ----

/** One request through the global fetch, as `[status, retryAfter, bytes]`. */
function obmennikSend(url, init, timeoutMs, signal, attempt) {
  return obmennikFetch((i) => fetch(url, i), init, timeoutMs, signal, attempt);
}
