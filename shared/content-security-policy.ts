/**
 * The Content-Security-Policy of every page we serve (the till's screens and
 * head office's app): only our own scripts, styles and calls, nothing inline,
 * no forms posted anywhere, no framing. A script smuggled in through data (a
 * product name, a rejection reason) cannot run.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
