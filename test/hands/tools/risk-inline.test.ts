import { describe, expect, it } from 'vitest';
import { patch, placesOf } from './helpers/patch.js';

const inline = (...patches: string[]): Array<[string, string]> => placesOf('made_synchronous', ...patches);

describe('work handed to the background now done in the request', () => {
  it('finds an enqueued job replaced by a direct call, in Ruby, Python and TypeScript', () => {
    expect(
      inline(
        patch('app/models/booking.rb', 16, [
          '-  after_commit :enqueue_confirmation, on: :create',
          '+  after_save :confirm_now',
          '-  def enqueue_confirmation',
          '-    BookingConfirmationJob.perform_later(id)',
          '+  def confirm_now',
          '+    NotifyClient.new(timeout: 3).deliver(to: tuner.mobile)',
          '   end',
        ]),
        patch('orders/signals.py', 30, ['-    send_receipt.delay(order.id)', '+    requests.post(f"{RECEIPTS_URL}/send", json={"order": order.id}, timeout=5)']),
        patch('src/orders.ts', 12, ['-  await queue.add("invoice", { orderId });', '+  await invoiceApi.create({ orderId });']),
      ),
    ).toEqual([
      ['app/models/booking.rb:18', 'NotifyClient.new(timeout: 3).deliver(to: tuner.mobile)'],
      ['orders/signals.py:30', 'requests.post(f"{RECEIPTS_URL}/send", json={"order": order.id}, timeout=5)'],
      ['src/orders.ts:12', 'await invoiceApi.create({ orderId });'],
    ]);
  });

  it('says nothing when the work is still enqueued, or no call replaces it', () => {
    expect(
      inline(
        patch('app/jobs/a.rb', 5, ['-    ReceiptJob.perform_later(id)', '+    ReceiptJob.set(queue: :low).perform_later(id)', '+    StatsClient.new.increment("receipts")']),
        patch('app/b.py', 5, ['-    send_receipt.delay(order.id)', '+    log.info("receipt skipped")']),
      ),
    ).toEqual([]);
  });
});
