'use strict';

const { escapeHtml, layout, message } = require('./layout');

function resultsTable(rows) {
  if (rows.length === 0) return '<p>No products found.</p>';
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>
<thead><tr><th>ID</th><th>Name</th><th>Price</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

function searchPage({ user, q, rows, error }) {
  // VULNERABLE ON PURPOSE: reflected XSS - the raw query is echoed without escaping.
  const echo = q === undefined ? '' : `<p class="echo">You searched for: ${q}</p>`;
  return layout({
    title: 'Search products',
    user,
    body: `<form method="get" action="/search">
  <input name="q" value="${escapeHtml(q)}" placeholder="Product name">
  <button type="submit">Search</button>
</form>
${echo}
${error ? message(`Database error: ${error}`) : ''}
${rows ? resultsTable(rows) : ''}`,
  });
}

module.exports = { searchPage };
