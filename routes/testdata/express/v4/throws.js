'use strict';

// An app whose startup fails: its configuration is missing.
const express = require('express');

const app = express();
app.get('/', (req, res) => res.send('never'));
throw new Error('DATABASE_URL is not set');
