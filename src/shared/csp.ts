// The renderer's Content-Security-Policy, one definition for the Electron shell and the browser host.
// Cesium needs 'unsafe-eval' (its shader and worker code) and blob: workers and images; nothing else is
// allowed beyond our own origin and, where configured, the internal map server.
export function contentSecurityPolicy(opts: { imageryOrigin?: string; connect?: string[] } = {}): string {
  const imagery = opts.imageryOrigin ? ` ${opts.imageryOrigin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-eval' blob:",
    "worker-src 'self' blob:",
    "style-src 'self'",
    `img-src 'self' data: blob:${imagery}`,
    `connect-src 'self' data: blob:${imagery}${opts.connect?.length ? ' ' + opts.connect.join(' ') : ''}`,
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
