'use strict';

// An Express 4 app declaring routes every way Express 4 allows; the test
// in routes/express_test.go lists what each becomes.

const express = require('express');
const users = require('./users');

const app = express();
const ok = (req, res) => res.send('ok');

app.set('title', 'fixture');
app.get('title'); // a setting, not a route
app.use(express.json());
app.use((req, res, next) => next()); // middleware, not a route

app.get('/', ok);
app.route('/books').get(ok).post(ok);
app.route('/books/:isbn').get(ok).put(ok).delete(ok);
app.all('/ping', ok);
app.get(['/about', '/about-us'], ok);
app.get('/files/*', ok);
app.get('/posts/:year/:month?', ok);
app.get('/items/:id(\\d+)', ok);
app.get(/^\/legacy\/.*\.php$/, ok);

// Routers mounted on prefixes, nested three deep, with params on the way.
const orders = express.Router({ mergeParams: true });
orders.get('/', ok);
orders.post('/', ok);
orders.get('/:orderId', ok);
const v1 = express.Router();
v1.get('/users/:userId', ok);
v1.use('/users/:userId/orders', orders);
const api = express.Router();
api.get('/status', ok);
api.use('/v1', v1);
app.use('/api', api);

// A router in its own module, mounted on two prefixes at once.
app.use(['/users', '/members'], users);

// A sub-app.
const admin = express();
admin.get('/dashboard', ok);
admin.post('/reindex', ok);
app.use('/admin', admin);

app.use((req, res) => res.status(404).send('not found'));

const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`listening on ${port}`));
