// obmennik/core, browser and bundler entry: call `await init()` once before anything else. By
// default it fetches obmennik_core_bg.wasm next to this file (bundlers such as Vite emit it as
// an asset). The error classes are the root entry's own, so `instanceof` holds across entries.
import wasmInit from './obmennik_core_web.js';
import { loadWasm } from '../load-wasm.js';

export * from './obmennik_core_web.js';
export * from '../errors.mjs';

export default function init(input) {
  return loadWasm(wasmInit, input, 'obmennik_core_bg.wasm', import.meta.url);
}
