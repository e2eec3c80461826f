'use strict';

// An app that gives up before listening, as apps do when a database is
// unreachable.
const express = require('express');

const app = express();
app.get('/', (req, res) => res.send('never'));
console.error('cannot connect to the database');
process.exit(2);
