'use strict';

// Strapi loads a local plugin's server entry with require() and reads only .js files, so this
// points at the server code that the app's own TypeScript build (`strapi develop`, `strapi build`,
// `compileStrapi()` in the tests) writes to dist/.
const server = require('../../../dist/src/plugins/booking/server/src');

module.exports = server.default || server;
