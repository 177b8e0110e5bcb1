// SAPIENT messages to bytes and back (protobuf, the schema in schema.ts). Decoding checks what the envelope
// must carry (a timestamp, the sender's UUID, exactly one content message): bytes that are not a SAPIENT
// message throw a SapientError saying why, so that a stream can name the fault when it closes the connection.
// What a content message must carry for the console to use it (a detection's location…) is checked where it
// is used, so that one incomplete detection is skipped instead of ending a connection.
import { SapientMessageType, type SapientContentName, type SapientMessage, type SapientTimestamp } from './schema.ts';

export class SapientError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SapientError';
  }
}

const CONTENTS: readonly SapientContentName[] = ['registration', 'registrationAck', 'statusReport', 'detectionReport', 'alert', 'error'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeSapient(msg: SapientMessage): Uint8Array {
  checkEnvelope(msg as unknown as Record<string, unknown>);
  const { content: _content, ...fields } = msg;
  return SapientMessageType.encode(SapientMessageType.fromObject(fields)).finish();
}

export function decodeSapient(bytes: Uint8Array): SapientMessage {
  let raw;
  try {
    raw = SapientMessageType.decode(bytes);
  } catch (err) {
    throw new SapientError(`not a SAPIENT message (${(err as Error).message})`);
  }
  const obj = SapientMessageType.toObject(raw, { longs: Number, enums: String, defaults: false }) as Record<string, unknown>;
  const content = checkEnvelope(obj);
  return { ...obj, content } as SapientMessage;
}

function checkEnvelope(obj: Record<string, unknown>): SapientContentName {
  const ts = obj.timestamp as Partial<SapientTimestamp> | undefined;
  if (!ts || typeof ts.seconds !== 'number' || !Number.isFinite(ts.seconds)) throw new SapientError('no timestamp (field 1)');
  if (ts.nanos !== undefined && !(Number.isInteger(ts.nanos) && ts.nanos >= 0 && ts.nanos < 1e9)) {
    throw new SapientError(`timestamp nanos ${ts.nanos} is not within 0–999999999`);
  }
  if (typeof obj.nodeId !== 'string' || !UUID.test(obj.nodeId)) throw new SapientError(`node_id (field 2) ${JSON.stringify(obj.nodeId ?? null)} is not a UUID`);
  if (obj.destinationId !== undefined && (typeof obj.destinationId !== 'string' || !UUID.test(obj.destinationId))) {
    throw new SapientError(`destination_id (field 3) ${JSON.stringify(obj.destinationId)} is not a UUID`);
  }
  const present = CONTENTS.filter((c) => obj[c] != null);
  if (present.length !== 1) throw new SapientError(present.length ? `more than one content message (${present.join(', ')})` : 'no content message (fields 4–12)');
  if (obj.content !== undefined && obj.content !== present[0]) throw new SapientError(`content says ${String(obj.content)} but carries ${present[0]}`);
  return present[0];
}

export function timestampOf(ms: number): SapientTimestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function msOf(ts: SapientTimestamp): number {
  return ts.seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}
