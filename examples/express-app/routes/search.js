'use strict';

const express = require('express');
const { searchPage } = require('../views/search');

function searchRoutes({ sql }) {
  const router = express.Router();

  router.get('/search', (req, res) => {
    const { user } = res.locals;
    const q = typeof req.query.q === 'string' ? req.query.q : undefined;
    if (q === undefined) return res.send(searchPage({ user }));

    // VULNERABLE ON PURPOSE: SQL injection. The query is built by string
    // concatenation, so q = "' UNION SELECT id, name, value FROM secrets--"
    // dumps the secrets table. SQL errors are shown to the user (error-based SQLi).
    const query = "SELECT id, name, price FROM products WHERE name LIKE '%" + q + "%'";
    let rows;
    try {
      const [result] = sql.exec(query);
      rows = result ? result.values : [];
    } catch (err) {
      return res.status(500).send(searchPage({ user, q, error: err.message }));
    }
    res.send(searchPage({ user, q, rows }));
  });

  return router;
}

module.exports = searchRoutes;
