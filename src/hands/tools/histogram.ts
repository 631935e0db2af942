// Counts over time for matches: per minute, coarsened to wider buckets when the span would
// need more than MAX_BUCKETS, so the shape of a burst stays readable in a bounded result.
import { formatTime } from '../../bundle/index.js';
import { formatDuration } from './time-args.js';

const MAX_BUCKETS = 60;
const WIDTHS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 360, 720, 1440];

export class MinuteCounts {
  readonly #perMinute = new Map<number, number>();

  add(t: number): void {
    const minute = Math.floor(t / 60_000);
    this.#perMinute.set(minute, (this.#perMinute.get(minute) ?? 0) + 1);
  }

  get size(): number {
    return this.#perMinute.size;
  }

  /** Non-empty buckets as [start, count], in time order, with the bucket width used. */
  buckets(): { bucket: string; bucket_seconds: number; counts: Array<[string, number]> } {
    const minutes = [...this.#perMinute.keys()].sort((a, b) => a - b);
    if (minutes.length === 0) return { bucket: '1m', bucket_seconds: 60, counts: [] };
    const span = (minutes[minutes.length - 1] as number) - (minutes[0] as number) + 1;
    const width = WIDTHS_MIN.find((w) => Math.ceil(span / w) <= MAX_BUCKETS) ?? Math.ceil(span / MAX_BUCKETS);
    const merged = new Map<number, number>();
    for (const m of minutes) {
      const start = Math.floor(m / width) * width;
      merged.set(start, (merged.get(start) ?? 0) + (this.#perMinute.get(m) ?? 0));
    }
    return {
      bucket: formatDuration(width * 60_000),
      bucket_seconds: width * 60,
      counts: [...merged.entries()].map(([start, n]) => [formatTime(start * 60_000), n]),
    };
  }
}
