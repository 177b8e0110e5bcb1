// Hex text ↔ bytes for Remote ID messages, without Buffer (the simulator and the core share the codec).
import { RemoteIdError } from './errors.ts';

/** Bytes from hex text; whitespace, ':' and '-' between bytes and a leading 0x are allowed (as receivers print them). */
export function hexToBytes(text: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, '').replace(/[\s:-]/g, '');
  if (!hex) throw new RemoteIdError('no hex given');
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new RemoteIdError(`not hex: "${hex[bad]}" at character ${bad + 1}`);
  if (hex.length % 2) throw new RemoteIdError(`odd length: ${hex.length} hex digits do not make whole bytes`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Upper-case hex, as the reference implementation and most receivers print it. */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out.toUpperCase();
}
