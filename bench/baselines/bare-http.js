// Baseline for `npm run bench`: the floor of node:http itself. It reads the whole request body
// (as any real POST handler must) and answers a static JSON body.
'use strict';

const { Buffer } = require('node:buffer');
const http = require('node:http');

const BODY = JSON.stringify({ success: true, resultList: [], resultCount: 0 });

const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(BODY)) });
    res.end(BODY);
  });
});

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening on ${server.address().port}`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
