// Times on the charts and the timeline, in the browser's own time zone. Pure.

const p2 = (n: number) => String(n).padStart(2, '0');

/** "14:05" for a range of hours, "Nov 27 14:05" across days, with seconds for the shortest. */
export function tickFormat(spanMs: number): (t: number) => string {
  return (t) => {
    const d = new Date(t);
    const clock = `${p2(d.getHours())}:${p2(d.getMinutes())}`;
    if (spanMs <= 20 * 60_000) return `${clock}:${p2(d.getSeconds())}`;
    if (spanMs <= 24 * 3_600_000) return clock;
    return `${d.toLocaleString('en-US', { month: 'short' })} ${d.getDate()} ${clock}`;
  };
}

/** A moment, to the second, with the day when it is not today. */
export function moment(t: number, now = Date.now()): string {
  const d = new Date(t);
  const clock = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
  return new Date(now).toDateString() === d.toDateString() ? clock : `${d.toLocaleString('en-US', { month: 'short' })} ${d.getDate()} ${clock}`;
}

/** "between 02:13:05 and 02:13:44", or "at 02:13:05". */
export function span(from: number, to: number, now = Date.now()): string {
  return to - from < 1000 ? `at ${moment(from, now)}` : `between ${moment(from, now)} and ${moment(to, now)}`;
}

/** "5 s", "1 min", "10 min": a resolution. */
export function stepText(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`;
}
