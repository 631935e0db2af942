// A cleanup that ran every time, moved under a condition the change adds: whenever the other
// side is taken nothing deletes, and what it kept small fills. A cleanup moved along with its
// surroundings, or a new condition that leaves it where it was, is no such edit.
import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const grows = (...patches: string[]): string[] =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'unbounded_growth')
    .map((s) => s.identifiers.join(','));

describe('a cleanup made conditional', () => {
  it('is a delete moved into the else of a new branch (Rust), and an unlink moved under a new if (Python)', () => {
    expect(
      grows(
        patch('src/frames.rs', 52, [
          '     pub async fn finish_visit(&self, visit: &Visit, frames: Vec<Frame>) -> Result<()> {',
          '         let bytes = self.spool.write_frames(&visit.id, &frames).await?;',
          '-        self.uploader.attach(&visit.id, bytes).await?;',
          '-        self.spool.delete_frames_after_upload(&visit.id);',
          '+        if self.cfg.retain {',
          '+            self.spool.mark_retained(&visit.id, self.cfg.retention);',
          '+        } else {',
          '+            self.uploader.attach(&visit.id, bytes).await?;',
          '+            self.spool.delete_frames_after_upload(&visit.id);',
          '+        }',
          '         Ok(())',
        ]),
      ),
    ).toEqual(['delete_frames_after_upload']);
    expect(
      grows(
        patch('export/writer.py', 30, [
          '     upload(path)',
          '-    os.unlink(path)',
          '+    if not settings.KEEP_EXPORTS:',
          '+        os.unlink(path)',
        ]),
      ),
    ).toEqual(['unlink']);
  });

  it('is not a cleanup indented with the whole block around it, nor one a new condition leaves unconditional', () => {
    expect(
      grows(
        patch('src/spool.ts', 10, [
          '-  await upload(file);',
          '-  await fs.unlink(file);',
          '+  try {',
          '+    await upload(file);',
          '+    await fs.unlink(file);',
          '+  } finally {',
          '+    release(lock);',
          '+  }',
        ]),
      ),
    ).toEqual([]);
    expect(
      grows(
        patch('jobs/purge.rb', 4, [
          '+    if verbose',
          '+      logger.info("purging #{batch.size}")',
          '+    end',
          '     store.delete_batch(batch)',
        ]),
      ),
    ).toEqual([]);
  });
});
