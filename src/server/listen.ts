// Listening on the loopback interface only. Port 0 (or none) takes a free port; a taken port is a
// usage error (exit 2) with a way out.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';

export const HOST = '127.0.0.1';

export interface Listening {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export function listenLocal(handler: RequestListener, port = 0): Promise<Listening> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new UsageError(`port ${port} is already in use on ${HOST}: choose another with --port <n>, or --port 0 for a free one`));
      } else if (error.code === 'EACCES') {
        reject(new UsageError(`not allowed to listen on port ${port}: choose a port above 1023, or --port 0 for a free one`));
      } else reject(new UsageError(`cannot listen on ${HOST}:${port}: ${error.message}`));
    });
    server.listen({ port, host: HOST, exclusive: true }, () => {
      const actual = (server.address() as AddressInfo).port;
      resolve({
        server,
        port: actual,
        url: `http://${HOST}:${actual}/`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
