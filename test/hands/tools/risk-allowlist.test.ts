// An allow rule that lost an address range refuses every client from it: read from a security
// group, a network policy and a firewall, and not when the range is still covered by one the
// change adds, when a deny list loses a range, or when only a comment changed.
import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const narrowed = (...patches: string[]): string[] =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'access_narrowed')
    .flatMap((s) => s.identifiers);

describe('access narrowed', () => {
  it('is a range gone from a security group, a network policy or a firewall', () => {
    expect(
      narrowed(patch('infra/sg.tf', 10, [' resource "aws_security_group_rule" "api_ingress" {', '   type        = "ingress"', '-  cidr_blocks = ["10.20.0.0/16", "10.40.0.0/16", "172.16.8.0/22"]', '+  cidr_blocks = ["10.20.0.0/16", "10.40.0.0/16"]', ' }'])),
    ).toEqual(['172.16.8.0/22']);
    expect(narrowed(patch('k8s/netpol.yaml', 10, ['   ingress:', '   - from:', '     - ipBlock:', '         cidr: 10.20.0.0/16', '-    - ipBlock:', '-        cidr: 172.16.8.0/22', '     ports:']))).toEqual(['172.16.8.0/22']);
    expect(narrowed(patch('gcp/firewall.tf', 4, ['   source_ranges = [', '     "35.191.0.0/16",', '-    "130.211.0.0/22",', '   ]']))).toEqual(['130.211.0.0/22']);
  });

  it('is not a range still covered, a deny list that lost one, or a comment', () => {
    expect(narrowed(patch('infra/sg.tf', 10, ['   type        = "ingress"', '-  cidr_blocks = ["10.20.0.0/16"]', '+  cidr_blocks = ["10.0.0.0/8"]']))).toEqual([]);
    expect(narrowed(patch('nginx/deny.conf', 3, ['-    deny 203.0.113.0/24;', '     deny 198.51.100.0/24;']))).toEqual([]);
    expect(narrowed(patch('infra/sg.tf', 10, ['   type        = "ingress"', '-  # office: 172.16.8.0/22', '+  # office range moved']))).toEqual([]);
  });
});
