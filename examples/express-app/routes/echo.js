'use strict';

const express = require('express');

// GET /api/echo answers with what the app received: the request-target as
// sent (originalUrl), the query as Express parsed it, the headers, and the
// scheme and client address Express decided. A gateway in front can be
// checked against it: what it forwards is what the app sees.
function echoRoutes() {
  const router = express.Router();

  router.get('/api/echo', (req, res) => {
    res.json({
      originalUrl: req.originalUrl,
      query: req.query,
      headers: req.headers,
      protocol: req.protocol,
      ip: req.ip,
    });
  });

  return router;
}

module.exports = echoRoutes;
