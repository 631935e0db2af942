// The platform failures the logs name, sorted into their class by one pattern: the wordings
// below are the ones services and providers print, not any bundle's.
import { describe, expect, it } from 'vitest';
import { classify } from '../../src/brains/triage/signatures.js';
import { Topology } from '../../src/brains/triage/topology.js';

const topology = new Topology([]);
const kindOf = (text: string): string | null => classify({ ref: 'logs/x.log:1', t: 0, service: 'x', level: 'error', text }, topology)?.kind ?? null;

describe("a host's network card failing", () => {
  it.each([
    'kernel: NETDEV WATCHDOG: eth0 (virtio_net): transmit queue 2 timed out',
    'kernel: ena 0000:00:05.0 eth0: Found a Tx that wasn\'t completed on time, qid 3, index 211.',
    'kernel: ena 0000:00:06.0 eth0: The number of lost tx completions is above the threshold (140 > 128). Reset the device',
    'kernel: ena 0000:00:06.0 eth0: Keep alive watchdog timeout.',
    'kernel: mlx5_core 0000:3b:00.0 ens1f0: TX timeout detected',
  ])('%s', (text) => {
    expect(kindOf(text)).toBe('network');
  });

  it('is not read into a peer closing its connection', () => {
    expect(kindOf('Client id=4526660 addr=10.30.2.220:33846 closed: Connection reset by peer')).toBeNull();
    expect(kindOf('upstream request timeout after 3000 ms')).toBeNull();
  });
});

describe('a network link going down', () => {
  it.each([
    'mib2d[1843]: SNMP_TRAP_LINK_DOWN: ifIndex 517, ifAdminStatus up(1), ifOperStatus down(2), ifName ge-0/0/1',
    '%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down',
    'dcd[1170]: ge-0/0/1: optical receive power below threshold (-40.00 dBm, LOS)',
    'bfdd[1311]: BFD Session 10.255.3.1 (IFL ge-0/0/1.0) state Up -> Down LD/RD(16/21)',
    'rpd[1290]: bgp_peer_close: BGP peer 10.255.3.1 (External AS 64512) went down: BFD session down',
    'failoverd: primary uplink fiber0 down, activating lte0',
    'leaf-2 %SFP-2-TX_POWER_LOW_ALARM: Ethernet1/14 transceiver tx power -10.6 dBm below low alarm threshold -9.5 dBm',
  ])('%s', (text) => {
    expect(kindOf(text)).toBe('link');
  });

  it('is not read into a service losing its own connection', () => {
    expect(kindOf('connection to orders-db went down, reconnecting in 2s')).toBeNull();
    expect(kindOf('consumer group rebalanced: partition 4 lost')).toBeNull();
  });
});

describe('a clock that is off', () => {
  it.each([
    'submission 42 rejected: 401 RequestTimeTooSkewed: request time 14:19:01 differs from server time 14:12:20 by more than 300s',
    'SignatureDoesNotMatch: clock skew of 402s',
    'token not valid yet (nbf claim is in the future)',
    'chronyd: no selectable sources',
    'level=warn msg="CONNECT rejected" reason=token_not_yet_valid leeway=10s rc=135',
    'jwt rejected: error=clock_skew_exceeded',
    'chronyd[802]: System clock wrong by -94.617823 seconds, adjustment started',
    'vmtoolsd[611]: [timeSync] Host time differs from guest, stepping guest clock (delta +94.618 s)',
    'reading rejected: timestamp in the future',
    'dropped 14 future-dated samples from gw-02',
    // PTP: the port faults and the system clock is left to its own oscillator.
    '[phc2sys] WARN port 1 (enp3s0) not in SLAVE/MASTER state, CLOCK_REALTIME left free-running (last freq -11890 ppb)',
    '[ptp4l] WARN port 1 (enp3s0): SLAVE to FAULTY on FAULT_DETECTED (FT_UNSPECIFIED)',
    'timesyncd: lost time synchronization with 10.0.0.1',
  ])('%s', (text) => {
    expect(kindOf(text)).toBe('clock');
  });

  it('is not read into words that only contain "skew"', () => {
    expect(kindOf('partition skew detected: 3 of 24 partitions hold 80% of keys')).toBeNull();
    expect(kindOf('scheduled for a time in the next hour: 12 jobs')).toBeNull();
  });
});
