/**
 * Which URLs the panel may fetch a model bundle from: nothing leaves the machine except requests to
 * hosts the configuration names. Allowed: the viewer's own origin, and the origins listed in the app
 * configuration (`window.config.landmarks.modelOrigins`, e.g. `["https://models.example.org"]`).
 * Pure: the caller passes the page origin and the allow-list.
 */

/**
 * Resolves `url` against `pageOrigin` and checks its origin.
 * @returns the absolute URL to fetch
 * @throws naming the URL and the allowed origins when it is not allowed (or not http(s))
 */
export function checkModelUrl(
  url: string,
  pageOrigin: string,
  allowedOrigins: readonly string[] = [],
): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim(), pageOrigin);
  } catch {
    throw new Error(`model URL "${url}" is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`model URL "${url}": only http(s) URLs can be imported`);
  const allowed = [pageOrigin, ...allowedOrigins].map((o) => {
    try {
      return new URL(o).origin;
    } catch {
      return o;
    }
  });
  if (!allowed.includes(parsed.origin)) {
    throw new Error(
      `model URL "${url}": origin ${parsed.origin} is not allowed (allowed: ${allowed.join(', ')}; ` +
        'add it to landmarks.modelOrigins in app-config.js)',
    );
  }
  return parsed.href;
}

/** The configured extra origins from OHIF's `window.config.landmarks.modelOrigins` (strings only). */
export function configuredModelOrigins(config: unknown): string[] {
  const list = (config as { landmarks?: { modelOrigins?: unknown } } | undefined)?.landmarks
    ?.modelOrigins;
  return Array.isArray(list) ? list.filter((o): o is string => typeof o === 'string') : [];
}
