// SOAP 1.2 as ONVIF cameras speak it: answers built from templates (every value escaped by the caller with
// `esc`), faults with ONVIF error subcodes, and xsd:duration / dateTime for subscription times.
import type { ServerResponse } from 'node:http';
import { esc } from './xml.ts';

export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wsa5: 'http://www.w3.org/2005/08/addressing',
  tns1: 'http://www.onvif.org/ver10/topics',
  ter: 'http://www.onvif.org/ver10/error',
} as const;

const DECLARATIONS = Object.entries(NS).map(([p, uri]) => `xmlns:${p}="${uri}"`).join(' ');

export function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope ${DECLARATIONS}><env:Body>${body}</env:Body></env:Envelope>`;
}

/** A fault a client can act on: `subcode` is an ONVIF error (ter:NotAuthorized, ter:InvalidArgVal …). */
export class SoapFault extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: 'env:Sender' | 'env:Receiver',
    readonly subcode: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export const notAuthorized = (why: string) => new SoapFault(400, 'env:Sender', 'ter:NotAuthorized', `Sender not Authorized: ${why}`);
export const invalidArg = (reason: string) => new SoapFault(400, 'env:Sender', 'ter:InvalidArgVal', reason);
export const actionNotSupported = (action: string) => new SoapFault(500, 'env:Receiver', 'ter:ActionNotSupported', `${action} is not supported here`);

export function faultXml(f: SoapFault): string {
  return envelope(
    `<env:Fault><env:Code><env:Value>${f.code}</env:Value><env:Subcode><env:Value>${esc(f.subcode)}</env:Value></env:Subcode></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${esc(f.reason)}</env:Text></env:Reason></env:Fault>`,
  );
}

export function sendSoap(res: ServerResponse, status: number, xml: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An xsd:duration without years or months (PT1M, PT60S, P1DT2H) in ms, or null. */
export function parseDurationMs(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Math.round(Number(s ?? 0) * 1000);
}

/** A termination time as ONVIF allows it: a duration from now, or an absolute xsd:dateTime. */
export function terminationAt(text: string, now: number): number | null {
  const ms = parseDurationMs(text);
  if (ms !== null) return now + ms;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text.trim())) return null;
  const at = Date.parse(text.trim());
  return Number.isFinite(at) ? at : null;
}
