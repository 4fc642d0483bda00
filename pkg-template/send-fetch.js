// ---- obmennik fetch transport (pkg-template/send-fetch.js, appended to the web glue after
// http.js by scripts/build.mjs): browsers, workers and edge runtimes send through fetch ----

/** One request through the global fetch, settled as `[status, retryAfter, bytes]`. */
function obmennikSend(url, init) {
  return fetch(url, init).then(obmennikAnswer);
}
