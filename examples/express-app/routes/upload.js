'use strict';

const crypto = require('node:crypto');
const express = require('express');

// POST /api/upload takes any body, a multipart/form-data upload say, and
// answers with its size and SHA-256 as received: end-to-end tests check
// that a gateway in front passed the bytes unchanged. Bodies over 20 MB
// are refused with 413.
const maxUpload = 20 * 1024 * 1024;

function uploadRoutes() {
  const router = express.Router();

  router.post('/api/upload', (req, res, next) => {
    const hash = crypto.createHash('sha256');
    let size = 0;
    let failed = false;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > maxUpload && !failed) {
        failed = true;
        res.status(413).json({ error: 'upload too large' });
        req.resume();
        return;
      }
      hash.update(chunk);
    });
    req.on('error', next);
    req.on('end', () => {
      if (!failed) res.json({ size, sha256: hash.digest('hex') });
    });
  });

  return router;
}

module.exports = uploadRoutes;
