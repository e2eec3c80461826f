'use strict';

// startApp runs the app on an ephemeral loopback port for one test file:
// call it at the top level; base() is its URL once the tests run.
const { before, after } = require('node:test');
const { once } = require('node:events');
const { createApp } = require('../app');

function startApp() {
  let server;
  let url;
  before(async () => {
    const app = await createApp({ log: () => {} });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${server.address().port}`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return () => url;
}

module.exports = { startApp };
