'use strict';

const express = require('express');
const { requireLogin } = require('../middleware');

// Returns an error message for an invalid product payload, or null.
function productError(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object';
  const { name, price, description } = body;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) {
    return 'name must be a non-empty string of at most 100 characters';
  }
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
    return 'price must be a non-negative number';
  }
  if (description !== undefined && (typeof description !== 'string' || description.length > 1000)) {
    return 'description must be a string of at most 1000 characters';
  }
  return null;
}

function apiRoutes({ products }) {
  const router = express.Router();

  router.get('/api/health', (req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/api/products', (req, res) => {
    res.json({ products: products.list() });
  });

  router.get('/api/products/:id', (req, res) => {
    const product = /^\d+$/.test(req.params.id) ? products.get(Number(req.params.id)) : null;
    if (!product) return res.status(404).json({ error: 'product not found' });
    res.json({ product });
  });

  router.post('/api/products', requireLogin, (req, res) => {
    const error = productError(req.body);
    if (error) return res.status(400).json({ error });
    const { name, price, description = '' } = req.body;
    const product = products.add({ name: name.trim(), price, description });
    res.status(201).location(`/api/products/${product.id}`).json({ product });
  });

  return router;
}

module.exports = apiRoutes;
