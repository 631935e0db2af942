// The key a producer sends its messages with decides which partition each lands on. A diff that
// changes it, in any of the clients' spellings, is read as such; a cache key, a map key or a
// send whose key stayed the same is not.
import { describe, expect, it } from 'vitest';
import { assess, patch } from './helpers/patch.js';

const keyed = (...patches: string[]): Array<{ old: string | undefined; new: string | undefined }> =>
  assess(...patches)
    .risks.filter((s) => s.kind === 'message_key_changed')
    .map((s) => ({ old: s.old, new: s.new }));

describe('a message key changed', () => {
  it('is read from a Kafka ProducerRecord in Java, and through a local the key was put in first in Kotlin', () => {
    expect(keyed(patch('src/main/java/ingest/Publisher.java', 30, ['-    var record = new ProducerRecord<>(topic, ev.pumpSerial(), payload);', '+    var record = new ProducerRecord<>(topic, ev.facilityId(), payload);']))).toEqual([
      { old: 'ev.pumpSerial()', new: 'ev.facilityId()' },
    ]);
    expect(
      keyed(patch('src/main/kotlin/sync/ReadingPublisher.kt', 20, ['-            val record = ProducerRecord(topic, r.deviceId, codec.encode(r))', '+            val key = r.clinicId ?: ""', '+            val record = ProducerRecord(topic, key, codec.encode(r))'])),
    ).toEqual([{ old: 'r.deviceId', new: 'r.clinicId?:""' }]);
  });

  it('is read from a Python send, a Go sarama message, a kafkajs message and a Kinesis partition key', () => {
    expect(keyed(patch('publish/publisher.py', 8, ['-        producer.send(TOPIC, key=event.container_id, value=payload)', '+        producer.send(TOPIC, key=event.yard_code, value=payload)']))).toHaveLength(1);
    expect(keyed(patch('internal/pub/pub.go', 40, ['-\t\tKey:   sarama.StringEncoder(ev.WagonID),', '+\t\tKey:   sarama.StringEncoder(ev.YardID),']))).toHaveLength(1);
    expect(keyed(patch('src/publish.ts', 12, ['-      messages: [{ key: bid.lotId, value: JSON.stringify(bid) }],', '+      messages: [{ key: bid.auctionId, value: JSON.stringify(bid) }],']))).toHaveLength(1);
    expect(keyed(patch('ingest/stream.py', 5, ['-    kinesis.put_record(StreamName=STREAM, Data=body, PartitionKey=reading.sensor_id)', '+    kinesis.put_record(StreamName=STREAM, Data=body, PartitionKey=reading.site_id)']))).toHaveLength(1);
  });

  it('is not a cache key, a map key, or a send whose key stayed the same', () => {
    expect(keyed(patch('src/cache.ts', 3, ['-  const key = `quote:${id}`;', '+  const key = `quote:${id}:${currency}`;']))).toEqual([]);
    expect(keyed(patch('app/index.py', 3, ['-    index[key] = row', '+    index[key.lower()] = row']))).toEqual([]);
    expect(
      keyed(patch('src/main/java/ingest/Publisher.java', 30, ['-    var record = new ProducerRecord<>(topic, ev.pumpSerial(), payload);', '+    var record = new ProducerRecord<>(topic, ev.pumpSerial(), encode(payload));'])),
    ).toEqual([]);
  });

  it("is not the same key read another way: a map's entry become a typed field, or a getter", () => {
    expect(
      keyed(patch('src/main/kotlin/roster/Publisher.kt', 30, ['-        producer.send(ProducerRecord(topic, event["crew_id"].toString(), payload))', '+        producer.send(ProducerRecord(topic, event.crewId.toString(), payload))'])),
    ).toEqual([]);
    expect(keyed(patch('src/main/java/ingest/Publisher.java', 30, ['-    var record = new ProducerRecord<>(topic, ev.pumpSerial, payload);', '+    var record = new ProducerRecord<>(topic, ev.getPumpSerial(), payload);']))).toEqual([]);
  });
});
