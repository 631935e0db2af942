import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

describe('an idle timeout set where none was', () => {
  it('through a variable the same diff declares, on a listener that kept the default', () => {
    const { risks } = assess(
      patch('modules/nlb/listener.tf', 10, [
        '   port              = each.value.port',
        '   protocol          = each.value.protocol',
        '+  tcp_idle_timeout_seconds = lookup(each.value, "idle_timeout", var.default_tcp_idle_timeout)',
        ' ',
      ]),
      patch('modules/nlb/variables.tf', 20, [
        '   type        = any',
        ' }',
        '+',
        '+variable "default_tcp_idle_timeout" {',
        '+  type        = number',
        '+  default     = 60',
        '+}',
      ]),
    );
    expect(risks.map((s) => [s.kind, s.direction, s.bounds, s.new])).toEqual([['limit_changed', 'tightened', 'time', '60']]);
    expect(risks[0]?.code).toBe('modules/nlb/listener.tf:12');
    expect(risks[0]?.identifiers).toEqual(['tcp_idle_timeout_seconds', 'default_tcp_idle_timeout']);
  });

  it('as a plain value in a proxy config', () => {
    const { risks } = assess(patch('envoy/listener.yaml', 30, ['     stat_prefix: ingress_ws', '+    idle_timeout: 30s', '     route_config:']));
    expect(risks.map((s) => [s.kind, s.direction, s.new])).toEqual([['limit_changed', 'tightened', '30']]);
  });

  it('not where the hunk already set it (an edit, judged by its direction elsewhere), nor in a new file', () => {
    const edited = assess(patch('envoy/listener.yaml', 30, ['-    idle_timeout: 30s', '+    idle_timeout: 300s'])).risks;
    expect(edited.filter((s) => /where none was/.test(s.detail))).toEqual([]);
    const created = assess(patch('envoy/new-listener.yaml', 1, ['+listener:', '+  idle_timeout: 30s'], { newFile: true })).risks;
    expect(created).toEqual([]);
  });
});
