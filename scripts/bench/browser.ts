// What a viewer sees, in Debian's Chromium driven by playwright-core (never a downloaded browser).
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { median } from './stats';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1440, height: 1000 };
const CARD = '[data-testid=component-card]';
const ROW = '[data-testid=queue-scroll] [role=row][data-index]';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL, viewport: VIEWPORT });
  ctx.setDefaultTimeout(60_000);
  return ctx;
}

// ---------------------------------------------------------------- bytes

export interface Transfer {
  url: string;
  /** api, document, script, stylesheet, font, rsc (Next's prefetches of linked pages), other */
  kind: string;
  status: number;
  /** Bytes received for it, headers included (CDP encodedDataLength). */
  wire: number;
  /** Body bytes once decoded. */
  decoded: number;
  encoding: string;
  ms: number;
}

export interface OverviewBytes {
  transfers: Transfer[];
  /** The first answer of each API endpoint the page loaded. */
  api: Transfer[];
  apiWire: number;
  apiDecoded: number;
  byKind: Record<string, { count: number; wire: number; decoded: number }>;
}

function kindOf(url: string, type: string): string {
  const u = new URL(url);
  if (u.pathname.startsWith('/api/')) return 'api';
  if (u.searchParams.has('_rsc') || type === 'Fetch' || type === 'XHR') return 'rsc';
  switch (type) {
    case 'Document':
      return 'document';
    case 'Script':
      return 'script';
    case 'Stylesheet':
      return 'stylesheet';
    case 'Font':
      return 'font';
    default:
      return 'other';
  }
}

/** A new viewer (empty cache) opens the overview; every transfer until the page has settled. */
export async function overviewBytes(browser: Browser, baseURL: string, settleMs = 4000): Promise<OverviewBytes> {
  const ctx = await newContext(browser, baseURL);
  try {
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const seen = new Map<string, { url: string; type: string; status: number; encoding: string; decoded: number; wire: number; start: number; end: number; done: boolean }>();
    cdp.on('Network.requestWillBeSent', (e) => {
      seen.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other', status: 0, encoding: 'identity', decoded: 0, wire: 0, start: e.timestamp, end: 0, done: false });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = seen.get(e.requestId);
      if (!r) return;
      r.status = e.response.status;
      r.type = e.type ?? r.type;
      const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
      r.encoding = h['content-encoding'] ?? 'identity';
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = seen.get(e.requestId);
      if (r) r.decoded += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = seen.get(e.requestId);
      if (!r) return;
      r.wire = e.encodedDataLength;
      r.end = e.timestamp;
      r.done = true;
    });
    await page.goto('/', { waitUntil: 'commit' });
    await page.locator(CARD).first().waitFor({ state: 'visible' });
    await page.waitForTimeout(settleMs);
    const transfers: Transfer[] = [...seen.values()]
      .filter((r) => r.done && !r.url.startsWith('data:'))
      .map((r) => ({ url: r.url, kind: kindOf(r.url, r.type), status: r.status, wire: r.wire, decoded: r.decoded, encoding: r.encoding, ms: (r.end - r.start) * 1000 }));
    const firstApi = new Map<string, Transfer>();
    for (const t of transfers) {
      if (t.kind !== 'api') continue;
      const key = new URL(t.url).pathname;
      if (!firstApi.has(key)) firstApi.set(key, t);
    }
    const api = [...firstApi.values()];
    const byKind: OverviewBytes['byKind'] = {};
    for (const t of transfers) {
      // later polls of the same API answer are not part of "the page loads"
      if (t.kind === 'api' && !api.includes(t)) continue;
      const k = (byKind[t.kind] ??= { count: 0, wire: 0, decoded: 0 });
      k.count++;
      k.wire += t.wire;
      k.decoded += t.decoded;
    }
    return { transfers, api, apiWire: api.reduce((s, t) => s + t.wire, 0), apiDecoded: api.reduce((s, t) => s + t.decoded, 0), byKind };
  } finally {
    await ctx.close();
  }
}

// ---------------------------------------------------------------- overview visible

export interface VisibleRun {
  /** From goto until the first component card is painted: navigation start (node's clock) + the page's own time to the frame after the card appeared. */
  ms: number;
  /** From goto until Playwright's polling saw the card visible (it polls at growing intervals, up to 1 s late). */
  playwrightMs: number;
  /** In the page, from navigation start: the HTML's last byte, DOMContentLoaded, the overview API answer, the first card in the DOM. */
  htmlMs: number;
  domContentLoadedMs: number;
  overviewApiStartMs: number;
  overviewApiEndMs: number;
  cardsInDomMs: number;
  /** The next animation frame after the cards reached the DOM: when they can first be painted. */
  cardsFrameMs: number;
  /** From goto (node's clock) to the page's navigation start: the harness and browser before the request. */
  navigationStartMs: number;
}

const CARD_WATCH = `(() => {
  // the first card in the DOM with a size, then the next animation frame: when it is first painted
  const mark = () => {
    if (window.__cardsAt != null) return;
    const card = document.querySelector(${JSON.stringify(CARD)});
    if (!card || card.getBoundingClientRect().height === 0) return;
    window.__cardsAt = performance.now();
    requestAnimationFrame(() => { window.__cardsFrameAt = performance.now(); });
  };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true, attributes: true });
})();`;

export async function overviewVisible(browser: Browser, baseURL: string, runs: number): Promise<{ median: number; runs: VisibleRun[] }> {
  const out: VisibleRun[] = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await newContext(browser, baseURL);
    try {
      const page = await ctx.newPage();
      await page.addInitScript(CARD_WATCH);
      const t0 = Date.now();
      await page.goto('/', { waitUntil: 'commit' });
      await page.locator(CARD).first().waitFor({ state: 'visible' });
      const playwrightMs = Date.now() - t0;
      const inPage = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((r) => r.name.includes('/api/v1/clusters/default/overview'));
        return {
          htmlMs: nav?.responseEnd ?? NaN,
          domContentLoadedMs: nav?.domContentLoadedEventEnd ?? NaN,
          overviewApiStartMs: api?.startTime ?? NaN,
          overviewApiEndMs: api?.responseEnd ?? NaN,
          cardsInDomMs: (window as unknown as { __cardsAt?: number }).__cardsAt ?? NaN,
          cardsFrameMs: (window as unknown as { __cardsFrameAt?: number }).__cardsFrameAt ?? NaN,
          timeOrigin: performance.timeOrigin,
        };
      });
      const { timeOrigin, ...rest } = inPage;
      const navigationStartMs = timeOrigin - t0;
      out.push({ ms: navigationStartMs + rest.cardsFrameMs, playwrightMs, ...rest, navigationStartMs });
    } finally {
      await ctx.close();
    }
  }
  return { median: median(out.map((r) => r.ms)), runs: out };
}

// ---------------------------------------------------------------- queue list

export interface QueueScroll {
  maxRows: number;
  maxPlaceholders: number;
  maxDomNodes: number;
  steps: number;
  reachedEnd: boolean;
  rowCount: number;
  ms: number;
  firstRowsMs: number;
}

// Plain JavaScript strings: a function passed from here would carry tsx's helpers into the page.
const SCROLL_THROUGH = `async ({ limitMs, rowSel }) => {
  const el = document.querySelector('[data-testid=queue-scroll]');
  const table = document.querySelector('[role=table][aria-label=queues]');
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  const t0 = performance.now();
  let maxRows = 0, maxPlaceholders = 0, maxDomNodes = 0, steps = 0, reachedEnd = false;
  const look = () => {
    const rows = el.querySelectorAll(rowSel);
    let placeholders = 0;
    rows.forEach((r) => { if (!r.querySelector('[role=cell]')) placeholders++; });
    maxRows = Math.max(maxRows, rows.length);
    maxPlaceholders = Math.max(maxPlaceholders, placeholders);
    maxDomNodes = Math.max(maxDomNodes, document.getElementsByTagName('*').length);
    return placeholders;
  };
  while (performance.now() - t0 < limitMs && steps < 20000) {
    let placeholders = look();
    // rows not loaded yet: give the next page a moment, as a reader would
    for (let w = 0; placeholders > 0 && w < 50 && performance.now() - t0 < limitMs; w++) {
      await wait(100);
      placeholders = look();
    }
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 2) { reachedEnd = true; break; }
    el.scrollTop += Math.max(100, el.clientHeight - 60);
    steps++;
    await frame();
  }
  look();
  return { maxRows, maxPlaceholders, maxDomNodes, steps, reachedEnd, rowCount: Number(table ? table.getAttribute('aria-rowcount') : NaN), ms: performance.now() - t0 };
}`;

export async function queueListRows(browser: Browser, baseURL: string, limitMs: number): Promise<QueueScroll> {
  const ctx = await newContext(browser, baseURL);
  try {
    const page = await ctx.newPage();
    const t0 = Date.now();
    await page.goto('/queues', { waitUntil: 'commit' });
    await page.locator(ROW).first().waitFor({ state: 'visible' });
    const firstRowsMs = Date.now() - t0;
    const result = (await page.evaluate(`(${SCROLL_THROUGH})(${JSON.stringify({ limitMs, rowSel: ROW })})`)) as Omit<QueueScroll, 'firstRowsMs'>;
    return { ...result, firstRowsMs };
  } finally {
    await ctx.close();
  }
}

// ---------------------------------------------------------------- filter typing

export interface FilterRun {
  fragment: string;
  /** Matches the server has for it (the API's `filtered`), capped at a screenful. */
  expected: number;
  /** From the last keystroke until the rows show only matches, all of them. */
  ms: number;
  /** From the last keystroke until the first frame showing only matches (perhaps only the loaded ones). */
  firstOnlyMatchesMs: number;
  /** From the first keystroke. */
  fromFirstKeyMs: number;
  rows: number;
  /** What the page fetched after the last key, relative to it: "path start–end". */
  fetches: string[];
}

const FILTER_WATCH = `({ fragment, expected }) => {
  const w = window;
  w.__keys = [];
  w.__matched = null;
  w.__complete = null;
  document.addEventListener('keydown', () => w.__keys.push(performance.now()), true);
  const f = fragment.toLowerCase();
  const check = () => {
    const scroll = document.querySelector('[data-testid=queue-scroll]');
    if (scroll && w.__keys.length >= fragment.length) {
      const rows = Array.from(scroll.querySelectorAll('[role=row][data-index]'));
      const ok = rows.length > 0 && rows.every((r) => {
        const a = r.querySelector('[role=cell] a');
        return a !== null && (a.textContent || '').toLowerCase().includes(f);
      });
      if (ok && !w.__matched) w.__matched = { at: performance.now(), rows: rows.length };
      // complete: every match the server knows is on screen (or a screenful of them)
      if (ok && rows.length >= expected) { w.__complete = { at: performance.now(), rows: rows.length }; return; }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}`;

export async function filterTyping(browser: Browser, baseURL: string, fragments: { fragment: string; expected: number }[], keyDelayMs = 40): Promise<{ median: number; runs: FilterRun[] }> {
  const ctx = await newContext(browser, baseURL);
  const runs: FilterRun[] = [];
  try {
    for (const { fragment, expected } of fragments) {
      const page: Page = await ctx.newPage();
      try {
        await page.goto('/queues', { waitUntil: 'commit' });
        await page.locator(ROW).first().waitFor({ state: 'visible' });
        const input = page.locator('input[aria-label="filter by name"]');
        await input.click();
        await page.evaluate(`(${FILTER_WATCH})(${JSON.stringify({ fragment, expected })})`);
        await page.keyboard.type(fragment, { delay: keyDelayMs });
        await page.waitForFunction(() => (window as unknown as { __complete: unknown }).__complete !== null, undefined, { timeout: 20_000, polling: 50 });
        const r = await page.evaluate(() => {
          const w = window as unknown as { __keys: number[]; __matched: { at: number; rows: number }; __complete: { at: number; rows: number } };
          const last = w.__keys[w.__keys.length - 1]!;
          const fetches = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
            .filter((e) => e.startTime >= last && e.startTime <= w.__complete.at)
            .map((e) => {
              const u = new URL(e.name);
              return `${u.pathname}${u.search.includes('_rsc') ? ' (RSC)' : u.search ? '?…' : ''} ${Math.round(e.startTime - last)}–${Math.round(e.responseEnd - last)} ms`;
            });
          return { first: w.__keys[0]!, last, at: w.__complete.at, firstAt: w.__matched.at, rows: w.__complete.rows, fetches };
        });
        runs.push({ fragment, expected, ms: r.at - r.last, firstOnlyMatchesMs: r.firstAt - r.last, fromFirstKeyMs: r.at - r.first, rows: r.rows, fetches: r.fetches });
      } finally {
        await page.close();
      }
    }
  } finally {
    await ctx.close();
  }
  return { median: median(runs.map((r) => r.ms)), runs };
}
