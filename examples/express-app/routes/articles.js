'use strict';

const express = require('express');
const { escapeHtml, layout } = require('../views/layout');

// A small blog in the shape of the RealWorld ("Conduit") API, so real
// content can be posted through the gateway and read back: articles with
// slugs, comments, and the same posts through an HTML form. Stored in
// memory; bodies are Markdown and are shown escaped, as a Markdown renderer
// would show their code.
//
//   POST /api/articles              {"article":{"title","description","body","tagList"}} -> 201
//   GET  /api/articles/:slug        -> {"article":{...}} or 404
//   PUT  /api/articles/:slug        {"article":{...}} -> 200 or 404
//   POST /api/articles/:slug/comments {"comment":{"body"}} -> 201
//   GET  /api/articles/:slug/comments -> {"comments":[...]}
//   POST /posts                     form title, description, body, tags -> 302 /posts/:slug
//   GET  /posts/:slug               the post as HTML
function slugify(title) {
  return String(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100) || 'untitled';
}

function articleRoutes() {
  const router = express.Router();
  const articles = new Map();

  function create({ title, description = '', body = '', tagList = [] }) {
    let slug = slugify(title);
    for (let n = 2; articles.has(slug); n += 1) slug = `${slugify(title)}-${n}`;
    const now = new Date().toISOString();
    const article = { slug, title, description, body, tagList, createdAt: now, updatedAt: now, comments: [] };
    articles.set(slug, article);
    return article;
  }

  const view = ({ comments, ...article }) => article;

  function validArticle(a, partial) {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) return false;
    if (!partial && (typeof a.title !== 'string' || a.title.trim() === '')) return false;
    for (const k of ['title', 'description', 'body']) {
      if (a[k] !== undefined && typeof a[k] !== 'string') return false;
    }
    return a.tagList === undefined || (Array.isArray(a.tagList) && a.tagList.every((t) => typeof t === 'string'));
  }

  router.post('/api/articles', (req, res) => {
    const a = req.body?.article;
    if (!validArticle(a, false)) return res.status(422).json({ errors: { article: ['needs a title'] } });
    res.status(201).json({ article: view(create(a)) });
  });

  router.get('/api/articles/:slug', (req, res) => {
    const article = articles.get(req.params.slug);
    if (!article) return res.status(404).json({ error: 'article not found' });
    res.json({ article: view(article) });
  });

  router.put('/api/articles/:slug', (req, res) => {
    const article = articles.get(req.params.slug);
    if (!article) return res.status(404).json({ error: 'article not found' });
    const a = req.body?.article;
    if (!validArticle(a, true)) return res.status(422).json({ errors: { article: ['bad fields'] } });
    for (const k of ['title', 'description', 'body', 'tagList']) if (a[k] !== undefined) article[k] = a[k];
    article.updatedAt = new Date().toISOString();
    res.json({ article: view(article) });
  });

  router.post('/api/articles/:slug/comments', (req, res) => {
    const article = articles.get(req.params.slug);
    if (!article) return res.status(404).json({ error: 'article not found' });
    const body = req.body?.comment?.body;
    if (typeof body !== 'string' || body === '') return res.status(422).json({ errors: { body: ["can't be empty"] } });
    const comment = { id: article.comments.length + 1, body, createdAt: new Date().toISOString() };
    article.comments.push(comment);
    res.status(201).json({ comment });
  });

  router.get('/api/articles/:slug/comments', (req, res) => {
    const article = articles.get(req.params.slug);
    if (!article) return res.status(404).json({ error: 'article not found' });
    res.json({ comments: article.comments });
  });

  router.post('/posts', (req, res) => {
    const { title, description, body } = req.body ?? {};
    if (typeof title !== 'string' || title.trim() === '') return res.status(422).send('A post needs a title.');
    const tags = typeof req.body.tags === 'string' ? req.body.tags.split(/[ ,]+/).filter(Boolean) : [];
    const article = create({ title, description: String(description ?? ''), body: String(body ?? ''), tagList: tags });
    res.redirect(`/posts/${article.slug}`);
  });

  router.get('/posts/:slug', (req, res) => {
    const article = articles.get(req.params.slug);
    if (!article) return res.status(404).send(layout({ title: 'Not found', user: res.locals.user, body: '<p>No such post.</p>' }));
    res.send(
      layout({
        title: article.title,
        user: res.locals.user,
        body: `<p><em>${escapeHtml(article.description)}</em></p><pre class="markdown">${escapeHtml(article.body)}</pre>`,
      }),
    );
  });

  return router;
}

module.exports = articleRoutes;
