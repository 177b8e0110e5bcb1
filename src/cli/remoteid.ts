// skyfence remoteid decode <hex>: an ASTM F3411 message or message pack, as a receiver captured it, printed
// as JSON with every field in engineering units — for integrators debugging a receiver. Bad input: exit code
// 1 and one line saying why.
import { decodeBytes, isPack, RemoteIdError } from '../main/core/drones/remote-id/codec.ts';
import { hexToBytes } from '../main/core/drones/remote-id/hex.ts';

export const REMOTEID_USAGE = '  skyfence remoteid decode <hex>     (one 25-byte message, or a pack F2 19 N …)';

interface Writer {
  write(text: string): unknown;
}

export function runRemoteId(args: string[], out: Writer, err: Writer): number {
  const [command, ...rest] = args;
  if (command !== 'decode' || rest.length === 0) {
    err.write(`usage:\n${REMOTEID_USAGE}\n`);
    return 2;
  }
  // Hex copied from a capture may come split into several arguments ("12 26 24 …").
  const hex = rest.join('');
  try {
    const bytes = hexToBytes(hex);
    const messages = decodeBytes(bytes);
    out.write(`${JSON.stringify(isPack(bytes) ? messages : messages[0], null, 2)}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof RemoteIdError)) throw e;
    err.write(`remoteid decode: ${e.message}\n`);
    return 1;
  }
}
