// Baseline for `npm run bench`: the least an Express 5 app can do per request (parse JSON,
// answer a static JSON body), so the mock's figures can be read as a ratio of it.
'use strict';

const express = require('express');

const BODY = { success: true, resultList: [], resultCount: 0 };

const app = express();
app.use(express.json());
app.get('/{*path}', (_req, res) => res.json(BODY));
app.post('/{*path}', (_req, res) => res.json(BODY));

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
