// Turning a page's dynamic route param back into the name it stands for.
//
// Checked empirically on Next 16.4.6 (dev and production): for a URL such as
// /queues/%2F/a%25b%2Fc%20d%23e%3F... the page component's `await params`
// gives the segment STILL PERCENT-ENCODED ("%2F", "a%25b%2Fc%20d%23e%3F..."),
// so it must be decoded exactly once here. generateMetadata, however, gets
// the same params already DECODED ("/", "a%b/c d#e?...") — a known regression
// (vercel/next.js#95343, fix proposed in #95356 to make both encoded). Route
// files therefore never read params in generateMetadata: the page sets the
// document title from the client (PageFrame's documentTitle).
//
// Decoding twice would corrupt names like "a%41" (URL a%2541), so this is the
// one place that decodes.
export function routeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    // A hand-typed malformed escape ("%E0"): Next passed it through; keep it.
    return raw;
  }
}
