'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startApp } = require('../test-support/server');

const base = startApp();

test('POST /api/upload answers the size and SHA-256 of the body as received', async () => {
  const body = Buffer.concat([
    Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'),
    crypto.randomBytes(3 * 1024 * 1024),
    Buffer.from('\r\n--b--\r\n'),
  ]);
  const res = await fetch(`${base()}/api/upload`, {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=b' },
    body,
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { size: body.length, sha256: crypto.createHash('sha256').update(body).digest('hex') });
});

test('JSON in UTF-16 and gzip is decoded by the app (what the gateway must inspect)', async () => {
  const zlib = require('node:zlib');
  const json = JSON.stringify({ username: 'nobody', password: 'x' });
  for (const [headers, body] of [
    [{ 'content-type': 'application/json; charset=utf-16le' }, Buffer.from(json, 'utf16le')],
    [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, zlib.gzipSync(json)],
  ]) {
    const res = await fetch(`${base()}/api/login`, { method: 'POST', headers, body });
    assert.equal(res.status, 401, JSON.stringify(headers)); // parsed, then refused: not a 400 or 415
  }
});
