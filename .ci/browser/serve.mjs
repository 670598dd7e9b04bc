// A tiny static file server for the browser checks: each folder is served under its URL
// prefix (the built site under /jobs/, as on a Pages sub-path), everything else is a 404.
// It listens on the loopback address only and reads files as they are asked for.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.ics': 'text/calendar; charset=utf-8',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}

// `mounts` maps a URL prefix ('/jobs/') to a folder. Resolves once the server listens.
export function serve(mounts, port) {
  const roots = Object.entries(mounts).map(([prefix, dir]) => [prefix, path.resolve(dir)]);
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return notFound(res);
    }
    const mount = roots.find(([prefix]) => pathname.startsWith(prefix));
    if (!mount || (req.method !== 'GET' && req.method !== 'HEAD')) return notFound(res);
    const [prefix, root] = mount;
    let file = path.resolve(root, '.' + path.posix.sep + pathname.slice(prefix.length));
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(res);
    if (pathname.endsWith('/')) file = path.join(file, 'index.html');
    fs.stat(file, (err, stat) => {
      if (err || !stat.isFile()) return notFound(res);
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'content-length': stat.size });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
