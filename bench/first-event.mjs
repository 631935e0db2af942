// Lazy hands: the first streamed event of a session never waits for the environment
// worker. Compares time-to-first-event (and to the first tool result) with the worker
// started lazily (default) and eagerly at session creation, in the same run.
import { join } from 'node:path';
import { importTs, root } from './_bundle.mjs';
import { median, report } from './_util.mjs';

const { measure, workerBootMs } = await importTs('bench/_first-event.ts');
const bundle = join(root, 'fixtures', 'checkout-cache-removed');
const RUNS = 7;
const lazy = await measure(bundle, 'lazy', RUNS);
const eager = await measure(bundle, 'eager', RUNS);
const boot = await workerBootMs(bundle, RUNS);
// A runtime that booted the hands before streaming would show its first event this much later.
const blockingFirst = median(boot) + median(lazy.firstEventMs);
const result = {
  bench: 'first_event',
  lazy_first_event_ms: Number(median(lazy.firstEventMs).toFixed(2)),
  eager_first_event_ms: Number(median(eager.firstEventMs).toFixed(2)),
  eager_over_lazy_first_event: Number((median(eager.firstEventMs) / median(lazy.firstEventMs)).toFixed(2)),
  worker_boot_ms: Number(median(boot).toFixed(1)),
  boot_first_then_stream_over_lazy: Number((blockingFirst / median(lazy.firstEventMs)).toFixed(1)),
  lazy_first_tool_result_ms: Number(median(lazy.firstToolResultMs).toFixed(1)),
  eager_first_tool_result_ms: Number(median(eager.firstToolResultMs).toFixed(1)),
};
process.stdout.write(
  `first streamed event: lazy ${result.lazy_first_event_ms} ms, eager (started in the background) ${result.eager_first_event_ms} ms (${result.eager_over_lazy_first_event}×); ` +
    `a worker cold start is ${result.worker_boot_ms} ms, so booting the hands before streaming would make the first event ${result.boot_first_then_stream_over_lazy}× later; ` +
    `first tool result: lazy ${result.lazy_first_tool_result_ms} ms, eager ${result.eager_first_tool_result_ms} ms\n`,
);
report(result);
// Sessions were deleted and the runtime closed; leave no stray handle behind.
process.exit(0);
