/** HAAT_QUEUE_ORIGIN, when the process is told to reach the queue through a gateway (see SyncOptions.queueOrigin). */
export function queueOriginSetting(env: Readonly<Record<string, string | undefined>> = process.env): {
  queueOrigin?: string;
} {
  const origin = env.HAAT_QUEUE_ORIGIN?.trim();
  return origin ? { queueOrigin: origin } : {};
}
