// A webhook receiver for trying workflows locally: prints each request and answers 200.
// Usage: node scripts/echo-receiver.js [port]   (default 8088, on 127.0.0.1)
const http = require('http');
const port = Number(process.argv[2] || 8088);
http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const key = req.headers['idempotency-key'] || '-';
    console.log(`${new Date().toISOString()} ${req.method} ${req.url} idempotency-key=${key} ${body}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
}).listen(port, '127.0.0.1', () => console.log(`echo receiver on http://127.0.0.1:${port}`));
