// Access narrowed: an address range that an allow rule let in (a security group's
// `cidr_blocks`, a firewall's `source_ranges`, a network policy's `ipBlock`, a load
// balancer's `loadBalancerSourceRanges`, an nginx `allow`) is gone from the new side and no
// range the change adds still covers it. Every client in that range (a site, an office, a
// partner, another cluster's NAT) is refused or left to time out from the moment the rule
// applies, while everyone else is served as before: the traffic from there drops and the
// callers there log connection timeouts.
import type { Diff, DiffFile, DiffLine } from '../../bundle/index.js';
import { isComment } from './code-words.js';
import { makeSignal, type RiskSignal } from './risk-types.js';

/** An IPv4 range or address: `10.20.0.0/16`, `172.16.8.4`. */
const IPV4 = /(?<![\d.])((?:\d{1,3}\.){3}\d{1,3})(?:\/(\d{1,2}))?(?![\d.])/g;
/** Words of a rule that lets addresses in; a deny list that loses a range lets more in. */
const ALLOWS = /ingress|inbound|allow|whitelist|source[_-]?ranges?|source[_-]?address|ipblock|cidr|authori[sz]ed[_-]?networks|ip[_-]?ranges?|trusted|permit/i;
const DENIES = /\b(?:deny|block|blacklist|denylist|blocklist|egress|outbound)\b/i;

interface Range {
  text: string;
  base: number;
  bits: number;
}

function parseRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const m of text.matchAll(IPV4)) {
    const octets = (m[1] as string).split('.').map(Number);
    if (octets.some((o) => o > 255)) continue;
    const bits = m[2] === undefined ? 32 : Number(m[2]);
    if (bits > 32) continue;
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - bits);
    ranges.push({ text: m[0], base: Math.floor(address / size) * size, bits });
  }
  return ranges;
}

/** Whether `outer` holds every address of `inner`. */
function covers(outer: Range, inner: Range): boolean {
  if (outer.bits > inner.bits) return false;
  const size = 2 ** (32 - outer.bits);
  return Math.floor(inner.base / size) * size === outer.base;
}

/** Whether a line sits in an allow rule: its own words, or the lines just above it in the hunk. */
function inAllowRule(lines: readonly DiffLine[], index: number): boolean {
  const around = lines.slice(Math.max(0, index - 8), index + 1).map((l) => l.text);
  const own = around[around.length - 1] ?? '';
  if (DENIES.test(own)) return false;
  return around.some((text) => ALLOWS.test(text)) && !around.slice(-3).some((text) => DENIES.test(text));
}

/** Allow rules of a diff that lost a range no added range still covers: one signal per file. */
export function accessNarrowed(diff: Diff, files: readonly DiffFile[]): RiskSignal[] {
  const added = files.flatMap((f) => f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add' && !isComment(l.text)).flatMap((l) => parseRanges(l.text))));
  const signals: RiskSignal[] = [];
  for (const file of files) {
    const path = file.newPath ?? file.oldPath ?? '';
    found: for (const hunk of file.hunks) {
      for (const [index, line] of hunk.lines.entries()) {
        if (line.kind !== 'del' || isComment(line.text) || !inAllowRule(hunk.lines, index)) continue;
        const lost = parseRanges(line.text).find((range) => !added.some((a) => covers(a, range)));
        if (lost === undefined) continue;
        signals.push(
          makeSignal(diff, path, line, 'access_narrowed', `an allow rule no longer lets in ${lost.text}: every client from that range is refused or times out from when the rule applies`, {
            identifiers: [lost.text],
            direction: 'tightened',
          }),
        );
        break found;
      }
    }
  }
  return signals;
}
