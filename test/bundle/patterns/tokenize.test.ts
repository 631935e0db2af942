import { describe, expect, it } from 'vitest';
import { maskToken, tokenize, tokenizeMasked } from '../../../src/bundle/patterns/index.js';

describe('maskToken', () => {
  it.each([
    ['12345', 'a number'],
    ['-0.25', 'a signed decimal'],
    ['0x7f961cf08cf0', 'a hex literal'],
    ['a64f992', 'a hex id'],
    ['blk_-6952295868487656571', 'an id with a prefix'],
    ['10.251.30.6', 'an IPv4 address'],
    ['10.251.30.6:50010', 'an address with a port'],
    ['2607:f140:6000:8:c6b3:1ff:fecd:467f', 'an IPv6 address'],
    ['5c:50:15:4c:18:13', 'a MAC address'],
    ['proxy.cse.cuhk.edu.hk:5070', 'a host and port'],
    ['/var/lib/nova/instances/_base/a489c868', 'an absolute path'],
    ['C:\\Windows\\servicing\\sqm', 'a Windows path'],
    ['https://example.com/a/b?c=d', 'a URL'],
    ['b9000564-fe1a-409b-b8cc-1e88b294cd1d', 'a UUID'],
    ['17:41:44,747', 'a clock time'],
    ['2017-05-16', 'a date'],
    ['com.apple.icloud.fmfd.heartbeat', 'a reverse-DNS identifier'],
    ['ops@example.com', 'an email address'],
    ['"View Lock"', 'a quoted value'],
    ['tty1', 'a terminal'],
    ['ttyS0', 'a serial terminal'],
    ['pts/3', 'a pseudo-terminal'],
    ['www.baidu.com', 'a host name'],
    ['mail.sch.ac.kr', 'a host name under a country code'],
    ['feebff4', 'a hex id that ends in a digit'],
    ['jJGlEVcUXFEJSb', 'a generated id of mixed case'],
    ['jJphVdqtaaPMh0', 'a generated id with one digit'],
    ['en74:876', 'a node name with a port'],
    ['false', 'a boolean'],
    ['./run_job', 'a path from the current directory'],
  ])('masks %s (%s)', (token) => {
    expect(maskToken(token)).toBe('<*>');
  });

  it.each([
    ['terminating'],
    ['BLOCK*'],
    ['NameSystem.addStoredBlock'],
    ['SOCKS5'],
    ['ssh2'],
    ['en0'],
    ['FAIL_CONTAINER_CLEANUP'],
    ['mapred.task.id'],
    ['system.time.showampm'],
    ['eth1'],
    ['TaskAttemptImpl'],
    ['getHostByName'],
    ['MRAppMaster'],
    ['('],
    ['...'],
  ])('keeps %s', (token) => {
    expect(maskToken(token)).toBe(token);
  });
});

describe('tokenize', () => {
  it('splits on delimiters inside a word and keeps them as tokens', () => {
    expect(tokenize('session opened for user root by (uid=0)')).toEqual(['session', 'opened', 'for', 'user', 'root', 'by', '(', 'uid', '=', '0', ')']);
    expect(tokenize('AirPort_Brcm43xx::syncPowerState: WWEN[enabled]')).toEqual(['AirPort_Brcm43xx', '::', 'syncPowerState', ':', 'WWEN', '[', 'enabled', ']']);
  });

  it('keeps addresses, paths and clock times whole', () => {
    expect(tokenize('Receiving block src: /10.251.30.6:33145 at 09:21:58.929')).toEqual(['Receiving', 'block', 'src', ':', '/10.251.30.6:33145', 'at', '09:21:58.929']);
    expect(tokenize('listening on addresses :[akka.tcp://sys@host-07:55904]')).toEqual(['listening', 'on', 'addresses', ':', '[', 'akka.tcp://sys@host-07:55904', ']']);
  });

  it('splits a camelCase field from its number, but keeps a host and its port whole', () => {
    expect(tokenize('list.scrollOffset:120,')).toEqual(['list.scrollOffset', ':', '120', ',']);
    expect(tokenize('db-2.example.net:5432,')).toEqual(['db-2.example.net:5432', ',']);
  });

  it('splits runs of dots but not single dots', () => {
    expect(tokenize('machine check enable..............1 core.2275')).toEqual(['machine', 'check', 'enable', '..............', '1', 'core.2275']);
  });

  it('keeps a quoted value of a key whole, spaces included', () => {
    expect(tokenize('acquire tag="View Lock", uid=1000')).toEqual(['acquire', 'tag', '=', '"View Lock"', ',', 'uid', '=', '1000']);
  });

  it('splits a free-standing quoted string so the words inside stay visible', () => {
    expect(tokenize('10.11.10.1 "GET /v2/servers HTTP/1.1" status: 200')).toEqual(['10.11.10.1', '"', 'GET', '/v2/servers', 'HTTP/1.1', '"', 'status', ':', '200']);
  });
});

describe('tokenizeMasked', () => {
  it('masks variables by shape and collapses adjacent ones', () => {
    expect(tokenizeMasked('Received block blk_3587508140051953248 of size 67108864 from /10.251.42.84')).toEqual(['Received', 'block', '<*>', 'of', 'size', '<*>', 'from', '<*>']);
    expect(tokenizeMasked('REPORT : 7007 5002 150089 240')).toEqual(['REPORT', ':', '<*>']);
  });

  it('masks the value of a key, flags included, but not a key that follows an empty value', () => {
    expect(tokenizeMasked('release name=android ws=null force=false')).toEqual(['release', 'name', '=', '<*>', 'ws', '=', '<*>', 'force', '=', '<*>']);
    expect(tokenizeMasked('logname= uid=0')).toEqual(['logname', '=', 'uid', '=', '<*>']);
  });

  it('masks a value written after a space: `key= value`, `key =  value`, `key: value`', () => {
    expect(tokenizeMasked('allDrawn= true, startingDisplayed =  false')).toEqual(tokenizeMasked('allDrawn= false, startingDisplayed =  true'));
    expect(tokenizeMasked('Changing view acls to: curi')).toEqual(['Changing', 'view', 'acls', 'to', ':', '<*>']);
    expect(tokenizeMasked('status: done, took: 3s')).toEqual(['status', ':', '<*>', ',', 'took', ':', '<*>']);
  });

  it('keeps the words of a message after a colon, and a value whose key is itself a variable', () => {
    expect(tokenizeMasked('fatal: Read from socket failed: Connection reset by peer')).toEqual(tokenize('fatal: Read from socket failed: Connection reset by peer'));
    expect(tokenizeMasked('Received disconnect from 10.0.0.1: 11: Bye Bye')).toEqual(['Received', 'disconnect', 'from', '<*>', ':', '<*>', ':', 'Bye', 'Bye']);
  });

  it('masks a name in the slot of a user: `user X`, `for X from`', () => {
    expect(tokenizeMasked('session opened for user cyrus by (uid=0)')).toEqual(tokenizeMasked('session opened for user news by (uid=0)'));
    expect(tokenizeMasked('session closed for user cyrus')).toEqual(['session', 'closed', 'for', 'user', '<*>']);
    expect(tokenizeMasked('Failed password for root from 10.0.0.1 port 22 ssh2')).toEqual(tokenizeMasked('Failed password for admin from 10.0.0.2 port 23 ssh2'));
    expect(tokenizeMasked('invalid user oracle [preauth]')).toEqual(['invalid', 'user', '<*>', '[', 'preauth', ']']);
    // Not a slot: a word after "for" that no "from" follows, a word after "user" that more words follow.
    expect(tokenizeMasked('Too many authentication failures for root [preauth]')).toContain('root');
    expect(tokenizeMasked('user login succeeded')).toEqual(['user', 'login', 'succeeded']);
  });

  it('reads empty brackets as an empty value', () => {
    expect(tokenizeMasked('connection from 10.0.0.1 () at Fri Jun 17 07:07:00 2005')).toEqual(tokenizeMasked('connection from 10.0.0.1 (host.example.com) at Fri Jun 17 07:07:00 2005'));
  });

  it('folds a unit into the number before it', () => {
    expect(tokenizeMasked('estimated size 5.2 KB, free 93.0 B')).toEqual(tokenizeMasked('estimated size 384.0 B, free 1.2 GB'));
    expect(tokenizeMasked('lifetime <1 sec')).toEqual(tokenizeMasked('lifetime 00:01'));
  });

  it('treats day and month names inside a date as part of it', () => {
    expect(tokenizeMasked('connection at Fri Jun 17 07:07:00 2005')).toEqual(['connection', 'at', '<*>']);
    expect(tokenizeMasked('Wed is a word here')).toEqual(['Wed', 'is', 'a', 'word', 'here']);
  });
});

describe('tokenizeMasked over a long log', () => {
  // Words are remembered by their text, a table at a time, and the table rests while words
  // rarely repeat: none of it may change what a message gives.
  const messages = [
    '[edge-proxy] GET /api/items/123 status=200 duration=12ms',
    'user=alice logged in from 10.0.0.1:5050 at 17:41:44,747',
    'Connection reset by peer (pool-3, attempt=2)',
    'cache miss for key "price:4821" after 3 tries',
  ];
  const alone = messages.map((message) => tokenizeMasked(message));

  it('gives each message the same tokens whether its words were seen before, crowded out or left to rest', () => {
    for (let round = 0; round < 2; round++) {
      // Many words seen once (ids throughout): the table fills, slots are taken over, it rests.
      for (let i = 0; i < 6_000; i++) tokenizeMasked(`job ${i.toString(36)}x${round} id=k${i * 7919} path=/v1/u${i}/t`);
      expect(messages.map((message) => tokenizeMasked(message))).toEqual(alone);
      // Words that repeat: the table is used again.
      for (let i = 0; i < 6_000; i++) tokenizeMasked(messages[i % messages.length] as string);
      expect(messages.map((message) => tokenizeMasked(message))).toEqual(alone);
    }
    expect(alone[0]).toEqual(['[', 'edge-proxy', ']', 'GET', '<*>', 'status', '=', '<*>', 'duration', '=', '<*>']);
  });

  it('never gives one word what another was found to be, however many share the table', () => {
    // Hundreds of names of one length, each seen again and again: the table stays in use and
    // some of them fall in the same slot.
    const name = (i: number): string => Array.from({ length: 6 }, (_, k) => String.fromCharCode(97 + (Math.floor(i / 26 ** k) % 26))).join('');
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 600; i++) expect(tokenizeMasked(`call [${name(i * 7)}] done`)).toEqual(['call', '[', name(i * 7), ']', 'done']);
    }
  });
});
