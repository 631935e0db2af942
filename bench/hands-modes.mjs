// Where the hands run, and what it costs: the same diagnosis with the hands in the
// runtime (local), on the client (the SDK's SessionToolRunner answering custom tool
// calls) and on a self-hosted worker (the SDK's EnvironmentWorker on the work queue).
// Time to the first streamed event and per tool call (use to result, median), as ratios
// to the local runtime in the same run.
import { join } from 'node:path';
import { importTs, root } from './_bundle.mjs';
import { median, report } from './_util.mjs';

const { measureModes } = await importTs('bench/_hands-modes.ts');
const RUNS = 3;
const times = await measureModes(join(root, 'fixtures', 'gateway-timeout-cut'), RUNS);
const round = (value, digits = 1) => Number(value.toFixed(digits));
const local = { first: median(times.local.firstEventMs), call: median(times.local.callMs), total: median(times.local.totalMs) };
const result = { bench: 'hands_modes', runs: RUNS, local_first_event_ms: round(local.first, 2), local_call_ms: round(local.call), local_diagnosis_ms: round(local.total, 0) };
for (const mode of ['client', 'worker']) {
  const first = median(times[mode].firstEventMs);
  const call = median(times[mode].callMs);
  const total = median(times[mode].totalMs);
  Object.assign(result, {
    [`${mode}_first_event_ms`]: round(first, 2),
    [`${mode}_over_local_first_event`]: round(first / local.first, 2),
    [`${mode}_call_ms`]: round(call),
    [`${mode}_over_local_call`]: round(call / local.call, 2),
    [`${mode}_diagnosis_ms`]: round(total, 0),
    [`${mode}_over_local_diagnosis`]: round(total / local.total, 2),
  });
}
process.stdout.write(
  `first streamed event: local ${result.local_first_event_ms} ms, client ${result.client_first_event_ms} ms (${result.client_over_local_first_event}×), worker ${result.worker_first_event_ms} ms (${result.worker_over_local_first_event}×); ` +
    `per tool call: local ${result.local_call_ms} ms, client ${result.client_call_ms} ms (${result.client_over_local_call}×), worker ${result.worker_call_ms} ms (${result.worker_over_local_call}×); ` +
    `whole diagnosis: local ${result.local_diagnosis_ms} ms, client ${result.client_over_local_diagnosis}×, worker ${result.worker_over_local_diagnosis}×\n`,
);
report(result);
process.exit(0);
