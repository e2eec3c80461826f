'use strict';

// Not an Express app.
console.log('hello');
