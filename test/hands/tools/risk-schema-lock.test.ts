// A schema edit of an existing table takes an exclusive lock, however briefly: read in SQL and in
// the migration helpers of Alembic, Rails and Django; not for a table the change creates, a
// migration that bounds its lock wait, an undo, or an edit already read as locking the table
// for its whole run.
import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const locked = (...patches: string[]): string[] =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'schema_lock')
    .flatMap((s) => s.identifiers);

describe('a schema edit that locks a table', () => {
  it('is read in SQL, Alembic, Rails and Django', () => {
    expect(locked(patch('db/migrate/0187_add_review.sql', 1, ['+ALTER TABLE users ADD COLUMN last_review_at timestamptz;'], { newFile: true }))).toEqual(['users']);
    expect(locked(patch('migrations/versions/3f7d_add.py', 16, ['+def upgrade() -> None:', '+    op.add_column("users", sa.Column("last_review_at", sa.DateTime(), nullable=True))', '+', '+def downgrade() -> None:', '+    op.drop_column("accounts", "x")']))).toEqual(['users']);
    expect(locked(patch('db/migrate/20260101_add_region.rb', 3, ['+    add_column :orders, :region, :string']))).toEqual(['orders']);
    expect(locked(patch('shop/migrations/0042_cart_note.py', 8, ["+        migrations.AddField(model_name='cart', name='note', field=models.TextField(null=True)),"]))).toEqual(['cart']);
  });

  it("is read from Django's operation written over several lines", () => {
    expect(locked(patch('cms/migrations/0147_article_embargo.py', 30, ['+        migrations.AddField(', '+            model_name="article",', '+            name="embargo_until",', '+            field=models.DateTimeField(null=True),', '+        ),']))).toEqual(['article']);
  });

  it('is not a new table, a bounded wait, an undo, or a lock read as held for the whole run', () => {
    expect(locked(patch('db/0188.sql', 1, ['+CREATE TABLE reviews (id bigint primary key);', '+ALTER TABLE reviews ADD COLUMN note text;'], { newFile: true }))).toEqual([]);
    expect(locked(patch('db/0189.sql', 1, ["+SET lock_timeout = '2s';", '+ALTER TABLE users ADD COLUMN note text;'], { newFile: true }))).toEqual([]);
    expect(locked(patch('db/0189_x.down.sql', 1, ['+ALTER TABLE users DROP COLUMN note;'], { newFile: true }))).toEqual([]);
    expect(locked(patch('db/0190.sql', 1, ['+ALTER TABLE users ALTER COLUMN id TYPE bigint;'], { newFile: true }))).toEqual([]);
  });
});
