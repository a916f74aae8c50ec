import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Tracks a simulator's sockets and returns its closer: `server.close()` alone waits for keep-alive and hanging
 * connections (a simulator can hold requests on purpose), so the closer destroys them too. Calling it again
 * returns the same promise.
 */
export function serverCloser(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
}
