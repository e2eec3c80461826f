'use strict';

const { Router } = require('express');

const router = Router();
router.route('/:name').get((req, res) => res.send(req.params.name)).patch((req, res) => res.sendStatus(204));
router.get('/', (req, res) => res.json([]));

module.exports = router;
