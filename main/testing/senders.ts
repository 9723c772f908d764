import type { QueueSender } from '../sync/push';

/**
 * Sends through `sender`, keeping each text in `sent` in the order it was
 * handed to the queue (with several in flight, the queue may accept them in
 * another order).
 */
export function keepingSent(sender: QueueSender, sent: string[]): QueueSender {
  return {
    send(text) {
      sent.push(text);
      return sender.send(text);
    },
  };
}
