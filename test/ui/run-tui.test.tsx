import { describe, expect, it } from 'vitest';
import { EXIT, InputError, RuntimeFailure } from '../../src/errors.js';
import { runTui } from '../../src/ui/index.js';
import { eventBuilder } from '../render/builders.js';
import { fakeSession, INFO } from './helpers/fake-session.js';
import { FakeStdin, SizedStdout, frameMatching, stripAnsi } from './helpers/render.js';

function terminal(isTTY = true) {
  const stdout = new SizedStdout(80, 30);
  const stdin = new FakeStdin(isTTY);
  const written = { lastFrame: () => stdout.frames.join('') };
  return { stdout, stdin, written, streams: { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream } };
}

describe('runTui', () => {
  it('refuses to start without a keyboard, saying what to use instead', async () => {
    const { streams } = terminal(false);
    const error = await runTui({ session: fakeSession([]), ...streams }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).hint).toContain('incident diagnose');
  });

  it('refuses to start with nothing to show', async () => {
    const { streams } = terminal();
    await expect(runTui({ ...streams })).rejects.toBeInstanceOf(InputError);
  });

  it('renders inline and resolves 130 with the session on screen when the person quits with Ctrl+C', async () => {
    const b = eventBuilder();
    const { streams, stdin, written } = terminal();
    const done = runTui({ session: fakeSession([b.agentMessage('hello from the agent')]), color: false, ...streams });
    const output = await frameMatching(written, (frame) => frame.includes('hello from the agent'));
    // Inline: never the alternate screen.
    expect(output).not.toContain('\u001b[?1049h');
    stdin.write('\u0003');
    await expect(done).resolves.toEqual({ exitCode: EXIT.cancelled, sessionId: INFO.id });
    expect(stripAnsi(written.lastFrame())).toContain('hello from the agent');
  });

  it('resolves with the failure exit code when the stream failed', async () => {
    const { streams, stdin, written } = terminal();
    const session = fakeSession([]);
    const done = runTui({ session, color: false, ...streams });
    await frameMatching(written, (frame) => frame.includes('ask a follow-up'));
    session.fail(new RuntimeFailure('the runtime went away', { hint: 'run `incident serve` again' }));
    await frameMatching(written, (frame) => frame.includes('stream failed: the runtime went away (run `incident serve` again)'));
    stdin.write('\u0003');
    await expect(done).resolves.toEqual({ exitCode: EXIT.runtime, sessionId: INFO.id });
  });
});
