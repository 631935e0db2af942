import { describe, expect, it } from 'vitest';
import { TemplateMiner } from '../../../src/bundle/patterns/index.js';

function mined(messages: readonly string[], options = {}): TemplateMiner {
  const miner = new TemplateMiner(options);
  for (const m of messages) miner.add(m);
  miner.finalize();
  return miner;
}

describe('merging', () => {
  it('generalises a word position whose values are mostly seen once', () => {
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    const miner = mined(names.map((n) => `Registering handler ${n} for topic orders`));
    expect(miner.templates().map((t) => t.text)).toEqual(['Registering handler <*> for topic orders']);
  });

  it('keeps recurring words apart as separate events', () => {
    const states = ['NEW to SCHEDULED', 'SCHEDULED to RUNNING', 'RUNNING to SUCCEEDED'];
    const messages = Array.from({ length: 30 }, (_, i) => `task_${i % 10} Task Transitioned from ${states[i % 3]}`);
    const texts = mined(messages).templates().map((t) => t.text).sort();
    expect(texts).toEqual([
      '<*> Task Transitioned from NEW to SCHEDULED',
      '<*> Task Transitioned from RUNNING to SUCCEEDED',
      '<*> Task Transitioned from SCHEDULED to RUNNING',
    ]);
  });

  it('never merges messages whose first words differ', () => {
    const miner = mined(['portmap startup succeeded', 'syslogd startup succeeded', 'klogd startup succeeded', 'hcid startup succeeded']);
    expect(miner.templates()).toHaveLength(4);
  });

  it('merges templates that differ only in optional variable parts', () => {
    const miner = mined([
      'host:80 close, 0 bytes sent, 0 bytes received, lifetime 00:01',
      'host:80 close, 451 bytes sent, 18846 bytes (18.4 KB) received, lifetime <1 sec',
      'host:80 close, 1190 bytes (1.16 KB) sent, 1671 bytes (1.63 KB) received, lifetime 02:19',
    ]);
    expect(miner.templates()).toHaveLength(1);
    expect(miner.templates()[0]?.count).toBe(3);
  });

  it('resolves ids handed out before a merge to the merged template', () => {
    const miner = new TemplateMiner();
    const ids = ['alpha', 'bravo', 'charlie', 'delta'].map((n) => miner.add(`user ${n} logged out`));
    expect(new Set(ids).size).toBe(4);
    miner.finalize();
    const resolved = new Set(ids.map((id) => miner.resolve(id)));
    expect(resolved.size).toBe(1);
    const [only] = miner.templates();
    expect(only?.id).toBe([...resolved][0]);
    expect(only?.text).toBe('user <*> logged out');
    expect(only?.count).toBe(4);
    expect(only?.sample).toBe('user alpha logged out');
  });

  it('matches new messages to final templates without learning them', () => {
    const miner = mined(['user alpha logged out', 'user bravo logged out', 'user charlie logged out', 'disk /dev/sda1 is 91% full']);
    const loggedOut = miner.match('user zulu logged out');
    expect(loggedOut).not.toBeNull();
    expect(miner.templates().find((t) => t.id === loggedOut)?.text).toBe('user <*> logged out');
    expect(miner.match('disk /dev/sdb2 is 12% full')).toBe(miner.match('disk /dev/sda1 is 91% full'));
    expect(miner.match('kernel panic - not syncing')).toBeNull();
    expect(miner.templates().reduce((sum, t) => sum + t.count, 0)).toBe(4);
  });

  it('sorts templates by count, most frequent first', () => {
    const miner = mined(['a happened 1', 'b happened', 'b happened', 'a happened 2', 'c happened 3', 'b happened']);
    expect(miner.templates().map((t) => t.count)).toEqual([3, 2, 1]);
  });
});

describe('determinism', () => {
  const messages = Array.from({ length: 2000 }, (_, i) => {
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
    switch (i % 5) {
      case 0: return `Accepted password for ${users[(i * 7) % 6]} from 10.0.${i % 7}.${i % 250} port ${4000 + i} ssh2`;
      case 1: return `GET /api/orders/${i} 200 ${i % 97}ms`;
      case 2: return `worker-${i % 4} finished job ${i.toString(16)} in ${i % 13}.${i % 10}s`;
      case 3: return `cache ${i % 2 ? 'hit' : 'miss'} for key user:${i}`;
      default: return `session opened for user ${users[i % 6]} by (uid=${i % 3})`;
    }
  });

  it('gives the same templates and ids for the same input', () => {
    const a = mined(messages).templates();
    const b = mined(messages).templates();
    expect(a).toEqual(b);
  });

  it('assigns every message of the same input to the same template', () => {
    const run = (): number[] => {
      const miner = new TemplateMiner();
      const ids = messages.map((m) => miner.add(m));
      miner.finalize();
      return ids.map((id) => miner.resolve(id));
    };
    expect(run()).toEqual(run());
  });
});

describe('bounds', () => {
  it('keeps the number of templates under maxTemplates on unbounded input', () => {
    const miner = new TemplateMiner({ maxTemplates: 50 });
    for (let i = 0; i < 20_000; i++) {
      // Each message has a new word in a new place: the worst case for a miner.
      const word = `w${(i * 2654435761 >>> 0).toString(36).replace(/\d/g, '')}`;
      miner.add(`${word} event ${'x'.repeat(i % 7)} ${word}`);
      if (i % 997 === 0) expect(miner.templates().length).toBeLessThanOrEqual(50);
    }
    miner.finalize();
    expect(miner.templates().length).toBeLessThanOrEqual(50);
    expect(miner.templates().reduce((sum, t) => sum + t.count, 0)).toBe(20_000);
  });

  it('keeps one sample per template, cut to a bounded length', () => {
    const miner = mined([`huge ${'y'.repeat(10_000)}`]);
    expect(miner.templates()[0]?.sample.length).toBeLessThanOrEqual(400);
  });
});
