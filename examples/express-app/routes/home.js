'use strict';

const express = require('express');
const { homePage } = require('../views/pages');

function homeRoutes() {
  const router = express.Router();

  router.get('/', (req, res) => {
    // Deliberately plain (no HttpOnly/Secure/SameSite) so the gateway's
    // cookie hardening can be observed.
    res.cookie('theme', 'light');
    res.send(homePage({ user: res.locals.user }));
  });

  return router;
}

module.exports = homeRoutes;
