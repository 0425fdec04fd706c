/** An HTTP failure with the status that {@link isTransient} (pacs/retry.ts) classifies; 0 = network. */
export class StowError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'StowError';
  }
}

/**
 * Stores one Part 10 object with STOW-RS (PS3.18 10.5: POST `{root}/studies`, multipart/related,
 * type application/dicom) using `fetch`, with the data source's auth header. Hand-written instead of
 * the data source's `store.dicom` so that a failure carries its HTTP status (0 when the PACS cannot be
 * reached) for the result queue's retry decision, without OHIF's own error pop-ups.
 */
export async function stowRs(
  wadoRoot: string,
  headers: Record<string, string>,
  file: ArrayBuffer,
  what: string,
): Promise<void> {
  const boundary = `landmarks-${Math.random().toString(36).slice(2)}`;
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + file.byteLength + tail.length);
  body.set(head, 0);
  body.set(new Uint8Array(file), head.length);
  body.set(tail, head.length + file.byteLength);
  let res: Response;
  try {
    res = await fetch(`${wadoRoot}/studies`, {
      method: 'POST',
      headers: {
        ...headers,
        Accept: 'application/dicom+json',
        'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      },
      body,
    });
  } catch (err) {
    throw new StowError(`STOW-RS of ${what}: PACS unreachable (${(err as Error).message})`, 0);
  }
  if (!res.ok) {
    throw new StowError(`STOW-RS of ${what}: HTTP ${res.status}`, res.status);
  }
}
