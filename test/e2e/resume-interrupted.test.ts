// Ctrl-C in the middle of an investigation prints "Resume it with: incident resume <id>":
// that command goes on with the investigation to its diagnosis, rather than printing the
// interrupted turn again and ending inconclusive.
import { describe, expect, it } from 'vitest';
import { busyBundle, cliEnv, runCli, startCli, tempHome } from './cli.js';

interface Line {
  id: string;
  type: string;
  name?: string;
  input?: { root_cause?: { category?: string; change_id?: string | null } };
}

describe('resume after an interrupted investigation', () => {
  it('continues it to a diagnosis', async () => {
    const env = cliEnv(tempHome());
    const child = startCli(['diagnose', busyBundle(), '--ndjson'], env);
    let out = '';
    // Interrupted at its first tool call, mid-turn, long before the investigation can end.
    child.stdout?.on('data', (chunk: Buffer) => {
      const calling = !out.includes('"agent.tool_use"');
      out += chunk.toString();
      if (calling && out.includes('"agent.tool_use"')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(130);
    const first = out.trim().split('\n').map((line) => JSON.parse(line) as Line);
    expect(first.some((line) => line.type === 'agent.tool_use' && line.name === 'submit_diagnosis')).toBe(false);

    const listed = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ id: string; outcome: string }>;
    expect(listed[0]?.outcome).toBe('interrupted');

    const resumed = await runCli(['resume', listed[0]?.id ?? '', '--ndjson'], env);
    const lines = resumed.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line);
    // The log as it stood, then the investigation going on to its diagnosis.
    expect(lines.slice(0, first.length).map((line) => line.id)).toEqual(first.map((line) => line.id));
    // The same diagnosis as a run never interrupted: the calls the interruption cut off were
    // made again, not read as what the tools found.
    const submitted = lines.filter((line) => line.type === 'agent.tool_use' && line.name === 'submit_diagnosis').at(-1);
    expect(submitted?.input?.root_cause).toMatchObject({ category: 'deploy', change_id: 'deploy-4821' });
    const after = JSON.parse((await runCli(['sessions', 'list', '--json'], env)).stdout) as Array<{ outcome: string }>;
    expect(after[0]?.outcome).not.toBe('interrupted');
  });
});
