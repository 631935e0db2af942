// Series an exporter scraped are about what their labels name. The database's numbers come
// from a cloud exporter: no service label, so the bundle files them under its job
// (`rds-exporter`), while a label says which cluster and instance each measures
// (`db_cluster="orders-db"`). At minute 60 the cluster failed its writer over (an infra
// change of orders-db); the old writer came back as a reader, and the billing service, still
// connected to it, failed every write from then on. The writer flag of the instances flipped
// at that minute: that is orders-db moving as its change took effect, not an exporter's.
import { describe, expect, it } from 'vitest';
import { saidOf, syntheticRunner } from './helpers.js';
import { every, type BundleSpec, type SeriesSpec } from './synthetic.js';

const START = '2036-06-14T01:00:00Z';

const run = syntheticRunner('exporter-subject', { start: START, minutes: 120, stepSeconds: 60 });

function series(): SeriesSpec[] {
  const db = (instance: string, writer: boolean): SeriesSpec[] => [
    { metric: 'rds_instance_is_writer', service: 'rds-exporter', labels: { db_cluster: 'orders-db', db_instance: instance }, level: writer ? 1 : 0, noise: 0, shifts: [{ at: 60, to: writer ? 0 : 1 }] },
    { metric: 'aws_rds_write_iops_average', service: 'rds-exporter', labels: { db_cluster: 'orders-db', db_instance: instance }, level: writer ? 900 : 5, noise: 0.04, shifts: [{ at: 60, to: writer ? 5 : 900 }] },
    { metric: 'aws_rds_cpu_utilization_average', service: 'rds-exporter', labels: { db_cluster: 'orders-db', db_instance: instance }, level: writer ? 40 : 8, noise: 0.04, shifts: [{ at: 60, to: writer ? 12 : 55 }] },
    { metric: 'aws_rds_database_connections_average', service: 'rds-exporter', labels: { db_cluster: 'orders-db', db_instance: instance }, level: writer ? 150 : 20, noise: 0.03, shifts: [{ at: 60, to: writer ? 60 : 150 }] },
  ];
  return [
    ...db('orders-db-1', true),
    ...db('orders-db-2', false),
    { metric: 'db_write_errors_per_second', service: 'billing', level: 0.001, noise: 0.1, shifts: [{ at: 61, to: 16 }] },
    { metric: 'http_requests_error_ratio', service: 'billing', level: 0.002, noise: 0.1, shifts: [{ at: 61, to: 0.4 }] },
    { metric: 'http_requests_per_second', service: 'billing', level: 120, noise: 0.03 },
    { metric: 'http_requests_per_second', service: 'storefront', level: 300, noise: 0.03 },
  ];
}

const changes: BundleSpec['changes'] = [
  { id: 'deploy-billing-58', service: 'billing', type: 'deploy', at: 25, summary: 'billing 5.8: invoice footer' },
  { id: 'infra-orders-db-failover', service: 'orders-db', type: 'infra', at: 60, summary: 'orders-db: fail the writer over to orders-db-2 (instance class change)' },
];

const logs: BundleSpec['logs'] = {
  'orders-db': [
    ...every(0, 120, 5, 'info', 'checkpoint complete'),
    ...every(61, 120, 0.25, 'error', 'billing_app@orders: ERROR: cannot execute INSERT in a read-only transaction'),
  ].sort((a, b) => a.at - b.at),
  billing: [
    ...every(0, 120, 30, 'info', 'HikariPool-1 - Start completed. jdbcUrl=jdbc:postgresql://orders-db.cluster.example:5432/orders'),
    ...every(0, 120, 1, 'info', 'invoice recorded'),
    ...every(61, 120, 0.25, 'error', 'could not execute statement: ERROR: cannot execute INSERT in a read-only transaction'),
  ].sort(
    (a, b) => a.at - b.at,
  ),
};

const alert = { title: 'Billing write errors', service: 'billing', at: 70 };

describe('series an exporter scraped', () => {
  it('are read as the cluster they measure, whose failover then moved them', async () => {
    const r = await run({ alert, series: series(), changes, logs });
    const said = saidOf(r, 'infra-orders-db-failover');
    expect(said).toContain('orders-db got worse right after it');
    expect(said).not.toContain('orders-db shows no symptom of its own');
  });
});
