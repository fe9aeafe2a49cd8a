import { describe, expect, it } from 'vitest';
import { parsePrometheusText, select } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads types, labels with escapes, values, and ignores timestamps and comments', () => {
    const text = [
      '# HELP rabbitmq_detailed_queue_messages_ready Messages ready',
      '# TYPE rabbitmq_detailed_queue_messages_ready gauge',
      'rabbitmq_detailed_queue_messages_ready{vhost="/",queue="compute.host\\"1\\\\"} 3',
      'rabbitmq_detailed_queue_messages_ready{vhost="a b",queue="x\\ny",} 1.5e3 1395066363000',
      'up 1',
      'nan_value{a="b"} NaN',
      '',
    ].join('\n');
    const scrape = parsePrometheusText(text);
    expect(scrape.types.get('rabbitmq_detailed_queue_messages_ready')).toBe('gauge');
    expect(select(scrape, 'rabbitmq_detailed_queue_messages_ready', { vhost: '/' })).toEqual([
      { name: 'rabbitmq_detailed_queue_messages_ready', labels: { vhost: '/', queue: 'compute.host"1\\' }, value: 3 },
    ]);
    expect(select(scrape, 'rabbitmq_detailed_queue_messages_ready', { queue: 'x\ny' })[0]?.value).toBe(1500);
    expect(select(scrape, 'up')[0]).toEqual({ name: 'up', labels: {}, value: 1 });
    expect(Number.isNaN(select(scrape, 'nan_value')[0]?.value)).toBe(true);
  });

  it('refuses what is not the format, rather than guess', () => {
    expect(() => parsePrometheusText('<html>oops</html>')).toThrow(/not a Prometheus sample line/);
    expect(() => parsePrometheusText('x{a=b} 1')).toThrow(/unreadable labels/);
  });
});
