// The built package as a CommonJS user requires it: no init step, same API and errors.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const obmennik = require('../../pkg');

test('require() works without init and signs the seed vector', () => {
  assert.equal(obmennik.sign({ param1: 1, param2: 2 }, 'KKKeeey'), '5c69e53c91bfd96cfc3e61604558107a314060ef');
  assert.equal(typeof obmennik.init, 'function');
});

test('CommonJS users get the typed errors', () => {
  assert.throws(() => obmennik.verifyCallback('{"a":1}', 'secret-value'), (err) => {
    assert.ok(err instanceof obmennik.CallbackError);
    assert.equal(err.code, 'version_missing');
    return true;
  });
  assert.throws(() => obmennik.sign({ a: Infinity }, 'k'), obmennik.ValidationError);
});
