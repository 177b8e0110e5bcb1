// PLACEHOLDER (replaced by the SAPIENT helper): a SAPIENT (BSI Flex 335) sensor node over TCP. This minimal
// version listens and sends nothing, so that the simulator process and its SAPIENT_PORT line can be built and
// tested before the real node lands.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SkyObject } from './sky-types.ts';

export type SapientFault = 'none' | 'silent' | 'garbage' | 'drop-mid-message' | 'oversize-prefix';

export async function startSapientNode(opts: {
  port: number; host?: string; nodeId?: string; sky: (nowMs: number) => SkyObject[]; location: { lat: number; lon: number };
  reportEveryMs?: number; heartbeatMs?: number; seed?: number;
}): Promise<{ port: number; close(): Promise<void>; setFault(f: SapientFault): void; connections(): number }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // whatever the fusion node sends is read and dropped
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => undefined);
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
    setFault: () => undefined,
    connections: () => sockets.size,
  };
}
