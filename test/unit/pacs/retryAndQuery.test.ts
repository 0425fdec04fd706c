import { describe, expect, it } from 'vitest';
import { backoffDelay, isTransient, withRetry } from '../../../extension/src/pacs/retry.ts';
import { qidoQuery } from '../../../extension/src/pacs/pacsClient.ts';

const httpError = (status: number) => Object.assign(new Error('request failed'), { status });

describe('retry with back-off', () => {
  it('retries transient failures with doubling, capped delays, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw httpError(calls === 1 ? 0 : 503);
        return 'ok';
      },
      { retries: 5, baseDelayMs: 100, maxDelayMs: 300 },
      async (ms) => void delays.push(ms),
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([100, 200, 300]);
  });

  it('does not retry permanent failures and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw httpError(404);
        },
        { retries: 3, baseDelayMs: 1, maxDelayMs: 1 },
        async () => {},
      ),
    ).rejects.toThrow();
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw httpError(502);
        },
        { retries: 2, baseDelayMs: 1, maxDelayMs: 1 },
        async () => {},
      ),
    ).rejects.toThrow();
    expect(calls).toBe(3);
  });

  it('classifies statuses', () => {
    expect([0, 408, 429, 500, 502, 503, 504].every((s) => isTransient(httpError(s)))).toBe(true);
    expect([400, 401, 403, 404, 409, 415].some((s) => isTransient(httpError(s)))).toBe(false);
    expect(isTransient(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(backoffDelay({ retries: 9, baseDelayMs: 50, maxDelayMs: 1000 }, 6)).toBe(1000);
  });
});

describe('QIDO query string', () => {
  it('keeps literal commas in includefield (Orthanc ignores %2C) and encodes values', () => {
    expect(
      qidoQuery({ PatientName: 'Doe^J*', limit: 5, StudyDate: undefined }, [
        'StudyDescription',
        'ModalitiesInStudy',
      ]),
    ).toBe('?PatientName=Doe%5EJ*&limit=5&includefield=StudyDescription,ModalitiesInStudy');
    expect(qidoQuery({})).toBe('');
  });
});
