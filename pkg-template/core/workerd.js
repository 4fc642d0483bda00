// obmennik/core, Cloudflare Workers (workerd) entry: Workers refuse to compile wasm from bytes
// at run time, so the .wasm is imported as a module (wrangler and miniflare do this for *.wasm
// imports). The error classes are the root entry's own, so `instanceof` holds across entries.
import wasmModule from './obmennik_core_bg.wasm';
import { initSync } from './obmennik_core_web.js';

initSync({ module: wasmModule });

export * from './obmennik_core_web.js';
export * from '../errors.mjs';

/** Nothing to load in Workers; kept so the same code runs in browsers and Workers. */
export default function init() {
  return Promise.resolve();
}
