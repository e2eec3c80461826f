'use strict';

// An app that keeps waiting (for a database that never answers, say) and
// never listens: the routes declared so far are listed after a bounded wait.
const express = require('express');

const app = express();
app.get('/health', (req, res) => res.send('ok'));
setInterval(() => {}, 1000);
