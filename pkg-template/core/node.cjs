'use strict';
// obmennik/core, Node entry (CommonJS): signing and callback verification only, on a wasm a
// fraction of the SDK's. Compiled synchronously on require, so there is no init step; the ESM
// entry (node.mjs) re-exports this one. The error classes are the root entry's own, so
// `instanceof` holds whichever entry threw.
const core = require('./obmennik_core_node.cjs');
const errors = require('../errors.cjs');

/** Nothing to load in Node; kept so the same code runs in browsers and Node. */
function init() {
  return Promise.resolve();
}

module.exports = { ...core, ...errors, init, default: init };
