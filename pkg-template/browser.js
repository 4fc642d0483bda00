// Browser and bundler entry: call `await init()` once before anything else. By default it
// fetches obmennik_bg.wasm next to this file (bundlers such as Vite emit it as an asset).
import wasmInit from './obmennik_web.js';
import { loadWasm } from './load-wasm.js';

export * from './obmennik_web.js';
export * from './errors.mjs';
export * from './node-listener.mjs';

export default function init(input) {
  return loadWasm(wasmInit, input, 'obmennik_bg.wasm', import.meta.url);
}
