'use strict';

const fs = require('node:fs/promises');
const path = require('node:path');
const express = require('express');
const { downloadsPage, errorPage } = require('../views/pages');

const FILES_DIR = path.join(__dirname, '..', 'files');
const NOT_FOUND_CODES = new Set(['ENOENT', 'EISDIR', 'ENOTDIR']);

function downloadRoutes() {
  const router = express.Router();

  router.get('/download', async (req, res) => {
    const { user } = res.locals;
    const file = req.query.file;
    if (typeof file !== 'string' || file === '') {
      const files = (await fs.readdir(FILES_DIR)).sort();
      return res.send(downloadsPage({ user, files }));
    }

    // VULNERABLE ON PURPOSE: path traversal. The requested name is joined onto
    // the downloads folder without checking that the result stays inside it,
    // so file=../.env or file=../../../../../../etc/passwd reads other files.
    const filePath = path.join(FILES_DIR, file);
    let data;
    try {
      data = await fs.readFile(filePath);
    } catch (err) {
      if (!NOT_FOUND_CODES.has(err.code)) throw err;
      return res.status(404).send(errorPage({ user, title: 'Not found', text: 'File not found.' }));
    }
    res.attachment(path.basename(filePath)).type('text/plain; charset=utf-8').send(data);
  });

  return router;
}

module.exports = downloadRoutes;
