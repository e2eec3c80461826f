'use strict';

// Builds the Express application. Kept separate from server.js so tests can
// create an app and listen on an ephemeral port.

const crypto = require('node:crypto');
const path = require('node:path');
const express = require('express');
const session = require('express-session');
const { openDatabases } = require('./db');
const { isApiRequest, requestLogger, loadUser } = require('./middleware');
const { errorPage } = require('./views/pages');
const homeRoutes = require('./routes/home');
const authRoutes = require('./routes/auth');
const profileRoutes = require('./routes/profile');
const searchRoutes = require('./routes/search');
const downloadRoutes = require('./routes/download');
const apiRoutes = require('./routes/api');
const uploadRoutes = require('./routes/upload');
const echoRoutes = require('./routes/echo');
const adminRoutes = require('./routes/admin');
const articleRoutes = require('./routes/articles');

function notFound(req, res) {
  if (isApiRequest(req)) return res.status(404).json({ error: 'not found' });
  res.status(404).send(errorPage({ user: res.locals.user, title: 'Not found', text: 'No such page.' }));
}

function errorHandler(log) {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    // Client errors from body parsing (bad JSON, too large, ...) keep their status.
    const status = err.status >= 400 && err.status < 500 ? err.status : 500;
    const text = status < 500 && err.expose ? err.message : 'Something went wrong.';
    if (status === 500) log(`error: ${req.method} ${req.path}: ${err.stack || err}`);
    if (isApiRequest(req)) return res.status(status).json({ error: status === 500 ? 'internal server error' : text });
    res.status(status).send(errorPage({ user: res.locals.user, title: 'Error', text }));
  };
}

async function createApp({ log = console.log } = {}) {
  const { sql, products, users } = await openDatabases();
  const app = express(); // X-Powered-By stays on: the gateway is expected to strip it.

  app.use(requestLogger(log));
  app.use(express.static(path.join(__dirname, 'public')));
  app.use(express.urlencoded());
  app.use(express.json());
  app.use(
    session({
      name: 'sid',
      secret: process.env.SESSION_SECRET || crypto.randomBytes(32).toString('hex'),
      resave: false,
      saveUninitialized: false,
    }),
  );
  app.use(loadUser(users));

  app.use(homeRoutes());
  app.use(authRoutes({ users }));
  app.use(profileRoutes({ users }));
  app.use(searchRoutes({ sql }));
  app.use(downloadRoutes());
  app.use(apiRoutes({ products }));
  app.use(uploadRoutes());
  app.use(echoRoutes());
  app.use(adminRoutes({ products }));
  app.use(articleRoutes());

  // VULNERABLE ON PURPOSE: careless static configuration that serves the whole
  // application folder, dotfiles included, so GET /.env (and the source code)
  // is downloadable.
  app.use(express.static(__dirname, { dotfiles: 'allow' }));

  app.use(notFound);
  app.use(errorHandler(log));
  return app;
}

module.exports = { createApp };
