'use strict';
// Node entry (CommonJS): the wasm is compiled synchronously on require, so there is no init
// step. The ESM entry (node.mjs) re-exports this one, so both share one wasm instance.
const core = require('./obmennik_node.cjs');
const errors = require('./errors.cjs');
const { toNodeListener } = require('./node-listener.cjs');

/** Nothing to load in Node; kept so the same code runs in browsers and Node. */
function init() {
  return Promise.resolve();
}

module.exports = { ...core, ...errors, toNodeListener, init, default: init };
