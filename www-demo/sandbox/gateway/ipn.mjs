// IPN delivery: POST the JSON body, retry every `retryMs` until the receiver answers
// HTTP 200 (the seed: "considered processed if the server answered with HTTP code 200"),
// at most `maxAttempts` tries. A redirect is an answer other than 200, not followed (fetch
// would re-send it as a bodiless GET and count the target's 200). Every attempt is logged
// for gw.callbacks().

export class IpnSender {
  constructor({ retryMs, maxAttempts, timeoutMs }) {
    this.retryMs = retryMs;
    this.maxAttempts = maxAttempts;
    this.timeoutMs = timeoutMs;
    this.log = [];
    this.timers = new Set();
    this.inflight = new Set();
    this.stop = new AbortController();
  }

  send(url, body) {
    if (!this.stop.signal.aborted) this.attempt(url, body, 1);
  }

  attempt(url, body, attempt) {
    const run = this.deliver(url, body, attempt);
    this.inflight.add(run);
    run.finally(() => this.inflight.delete(run));
  }

  async deliver(url, body, attempt) {
    const entry = { url, body, status: 0, attempt, response: '' };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      entry.status = res.status;
      entry.response = (await res.text()).slice(0, 1000); // the cabinet shows this text
    } catch (err) {
      entry.error = err.cause?.code ?? err.cause?.message ?? err.message;
    }
    if (this.stop.signal.aborted) return;
    this.log.push(entry);
    if (entry.status === 200 || attempt >= this.maxAttempts) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.attempt(url, body, attempt + 1);
    }, this.retryMs);
    this.timers.add(timer);
  }

  async close() {
    this.stop.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inflight]);
  }
}
