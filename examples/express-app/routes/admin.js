'use strict';

const express = require('express');
const { requireLogin } = require('../middleware');

// The admin API. GET /api/admin/users asks for a login, as it should.
//
// VULNERABLE ON PURPOSE: GET /api/admin/stats forgot requireLogin, so anyone
// can read it; `bulwark routes` flags it as unsecured because its sibling
// answers 401 without credentials.
//
// With ADMIN_EXPORT=1 the app also serves GET /api/admin/export: a route
// deployed after the gateway learned the app, which it reports as new.
function adminRoutes({ products }) {
  const router = express.Router();

  router.get('/api/admin/users', requireLogin, (req, res) => {
    res.json({ users: [{ id: res.locals.user.id, username: res.locals.user.username }] });
  });

  router.get('/api/admin/stats', (req, res) => {
    res.json({ products: products.list().length, uptimeSeconds: Math.round(process.uptime()) });
  });

  if (process.env.ADMIN_EXPORT === '1') {
    router.get('/api/admin/export', (req, res) => {
      res.json({ products: products.list() });
    });
  }

  return router;
}

module.exports = adminRoutes;
