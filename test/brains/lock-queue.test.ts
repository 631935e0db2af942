// A migration that adds a column queues behind the nightly dump. At 80 the admin portal's release
// runs `ALTER TABLE users ADD COLUMN …` with no lock timeout; the dump has held a share lock on
// users since 60, so the ALTER waits, and every login query on users waits behind it: the
// database logs the queue, the login API's pool fills and the gateway pages. The release is
// named, though the admin portal itself shows nothing. With the same symptoms and no queue in
// the database's logs, the release is no cause: adding a column alone says nothing.
// The login API's own release at 50, which only adds a log field, is never blamed.
import { describe, expect, it } from 'vitest';
import { syntheticRunner, verdict } from './helpers.js';
import { every, patch } from './synthetic.js';

const run = syntheticRunner('lock-queue', { start: '2036-01-28T23:00:00Z', minutes: 150, stepSeconds: 30 });

const migration = patch(
  'migrations/versions/3f7d0a61c2e5_users_add_review.py',
  ['def upgrade() -> None:', '    pass'],
  ['def upgrade() -> None:', '    op.add_column("users", sa.Column("last_admin_review_at", sa.DateTime(timezone=True), nullable=True))'],
);

function bundle(queued: boolean): Parameters<typeof run>[0] {
  return {
    alert: { title: 'SSO gateway 5xx high', service: 'sso-gateway', at: 87 },
    series: [
      { metric: 'http_5xx_ratio', service: 'sso-gateway', level: 0.001, noise: 0.1, shifts: [{ at: 81, to: 0.55 }] },
      { metric: 'http_requests_per_second', service: 'sso-gateway', level: 120, noise: 0.04 },
      { metric: 'db_pool_connections_in_use', service: 'auth-api', level: 7, noise: 0.1, shifts: [{ at: 81, to: 40 }] },
      { metric: 'login_duration_seconds_p99', service: 'auth-api', level: 0.2, noise: 0.05, shifts: [{ at: 81, to: 5 }] },
      { metric: 'pg_cpu_ratio', service: 'identity-db', level: 0.3, noise: 0.05, shifts: [{ at: 81, to: 0.1 }] },
    ],
    changes: [
      { id: 'deploy-6602', service: 'auth-api', type: 'deploy', at: 50, summary: 'auth-api: record user-agent hash on login', diff: patch('auth/login.py', ['    log.info("login ok", user=u.id)'], ['    log.info("login ok", user=u.id, ua=ua_hash)']) },
      { id: 'deploy-6608', service: 'admin-portal', type: 'deploy', at: 80, summary: 'admin-portal: quarterly admin access review', diff: migration },
    ],
    logs: {
      'identity-db': [
        ...every(0, 150, 2, 'info', 'checkpoint complete'),
        ...(queued ? every(80.7, 95, 0.1, 'info', 'process 53646 still waiting for AccessShareLock on relation 16427 of database 16384 after 1000.3 ms (Wait queue: 51877, 53646)') : []),
        ...every(81, 95, 0.2, 'error', 'canceling statement due to statement timeout'),
      ],
      'auth-api': [...every(0, 150, 0.5, 'info', 'login ok'), ...every(81, 95, 0.3, 'error', 'login failed: statement timeout on users lookup')],
      'sso-gateway': every(0, 150, 0.5, 'info', 'POST /authorize 200'),
    },
  };
}

/** The same symptoms, no queue, and the login API's own release, half an hour before them, adding a column of its own. */
function ownMigration(): Parameters<typeof run>[0] {
  const spec = bundle(false);
  const authMigration = patch('migrations/versions/9a1_logins_ua.py', ['def upgrade() -> None:', '    pass'], ['def upgrade() -> None:', '    op.add_column("logins", sa.Column("ua_hash", sa.String(64), nullable=True))']);
  return { ...spec, changes: [...spec.changes.filter((x) => x.id !== 'deploy-6602'), { id: 'deploy-6603', service: 'auth-api', type: 'deploy', at: 45, summary: 'auth-api: store user-agent hash per login', diff: authMigration }] };
}

describe('a migration queued behind a long transaction', () => {
  it('is named from the queue the database logged as it ran', async () => {
    expect(verdict(await run(bundle(true)))).toEqual({ category: 'deploy', service: 'admin-portal', change_id: 'deploy-6608' });
  });

  it('is no cause when the database logged no queue behind it', async () => {
    expect(verdict(await run(bundle(false))).change_id).not.toBe('deploy-6608');
    // Not even on the service that pages: a column added is no mechanism without the queue.
    expect(verdict(await run(ownMigration())).change_id).toBeNull();
  });
});
