/** Delay before reconnect attempt `attempt` (0-based): doubling from `baseMs` to `maxMs`, with
 * up to 25% random jitter subtracted so tabs that lost the server together do not return in step. */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 10_000, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling * (1 - 0.25 * random()));
}
