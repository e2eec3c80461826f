'use strict';

// Entry point: builds the app, listens, and shuts down cleanly on signals.

const { createApp } = require('./app');

const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT || 3000);
const FORCE_EXIT_MS = 5000;

let server;

function shutdown() {
  if (!server) process.exit(0); // signal arrived during startup
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), FORCE_EXIT_MS).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

createApp()
  .then((app) => {
    server = app.listen(PORT, HOST, (err) => {
      if (err) {
        console.error(`express-app failed to listen: ${err.message}`);
        process.exit(1);
      }
      const host = HOST.includes(':') ? `[${HOST}]` : HOST;
      console.log(`express-app listening on http://${host}:${server.address().port}`);
    });
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
