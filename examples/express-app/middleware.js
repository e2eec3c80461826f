'use strict';

// Cross-cutting helpers: request logging, session/user handling and
// content negotiation between HTML pages and the JSON API.

function isApiRequest(req) {
  return /^\/api(\/|$)/.test(req.path);
}

function wantsJson(req) {
  return isApiRequest(req) || Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';
}

// Reads a string field from a parsed body; anything else (missing, array,
// object) becomes ''.
function bodyString(req, name) {
  const value = req.body?.[name];
  return typeof value === 'string' ? value : '';
}

// One line per request. Never logs bodies, cookies or other headers.
function requestLogger(log) {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      log(`${new Date().toISOString()} ${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  };
}

function loadUser(users) {
  return async (req, res, next) => {
    const id = req.session.userId;
    res.locals.user = id ? await users.findById(id) : null;
    next();
  };
}

function requireLogin(req, res, next) {
  if (res.locals.user) return next();
  if (isApiRequest(req)) return res.status(401).json({ error: 'login required' });
  res.redirect('/login');
}

// Issues a fresh session (and therefore a new `sid` cookie) for the user.
function startSession(req, user) {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.userId = user.id;
      req.session.save((saveErr) => (saveErr ? reject(saveErr) : resolve()));
    });
  });
}

function endSession(req) {
  return new Promise((resolve, reject) => {
    req.session.destroy((err) => (err ? reject(err) : resolve()));
  });
}

module.exports = {
  isApiRequest,
  wantsJson,
  bodyString,
  requestLogger,
  loadUser,
  requireLogin,
  startSession,
  endSession,
};
