/**
 * Retry with exponential back-off for transient PACS failures (pure: the clock is injected).
 * Transient: network errors (HTTP status 0), 408, 429, 500, 502, 503, 504.
 */

/** Retry policy; all times in ms. */
export interface RetryPolicy {
  /** Attempts after the first one (default 4). */
  retries: number;
  /** First delay (default 200 ms), doubled each time up to `maxDelayMs` (default 5000 ms). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Default policy: 5 attempts over about 3 s. */
export const DEFAULT_RETRY: RetryPolicy = { retries: 4, baseDelayMs: 200, maxDelayMs: 5000 };

const TRANSIENT = new Set([0, 408, 429, 500, 502, 503, 504]);

/** HTTP status carried by an error (dicomweb-client sets `status`), or undefined. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** True when retrying may help (network failure or a transient HTTP status). */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return TRANSIENT.has(status);
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT';
}

/** Delay before retry number `attempt` (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** Runs `task`, retrying transient failures per `policy`; the last error is rethrown. */
export async function withRetry<T>(
  task: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= policy.retries || !isTransient(error)) throw error;
      await sleep(backoffDelay(policy, attempt + 1));
    }
  }
}
