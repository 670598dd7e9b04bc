// Prints (or returns) a free TCP port on 127.0.0.1: `node port.mjs`.
import net from 'node:net';
import { pathToFileURL } from 'node:url';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await freePort());
}
