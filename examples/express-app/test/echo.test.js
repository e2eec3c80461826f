'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { once } = require('node:events');
const http = require('node:http');
const { createApp } = require('../app');

let server;
let port;

before(async () => {
  const app = await createApp({ log: () => {} });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = server.address().port;
});

after(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

// get sends path exactly as given (fetch would normalise it) and returns
// the parsed JSON answer.
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('GET /api/echo returns the request-target as sent and the query as parsed', async () => {
  const target = '/api/echo?q=Tom%20%26%20Jerry;%20season%202&page=2';
  const res = await get(target);
  assert.equal(res.status, 200);
  assert.equal(res.body.originalUrl, target);
  assert.deepEqual(res.body.query, { q: 'Tom & Jerry; season 2', page: '2' });
});

test('GET /api/echo returns the headers received', async () => {
  const res = await get('/api/echo', { 'x-test': 'one', 'true-client-ip': '192.0.2.1' });
  assert.equal(res.body.headers['x-test'], 'one');
  assert.equal(res.body.headers['true-client-ip'], '192.0.2.1');
  assert.equal(res.body.protocol, 'http');
});
