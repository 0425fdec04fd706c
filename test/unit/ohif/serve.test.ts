import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { renderAppConfig } from '../../../scripts/appConfig.ts';
import { resolveStatic, splitIncludeFields, upstreamFor } from '../../../scripts/serve.ts';

describe('same-origin server routing', () => {
  it('maps /dicom-web and /wado onto the configured upstream, keeping path and query', () => {
    const up = 'http://127.0.0.1:8042/dicom-web/';
    const wado = 'http://127.0.0.1:8042/wado';
    expect(upstreamFor('/dicom-web/studies?limit=1', up, wado)?.href).toBe(
      'http://127.0.0.1:8042/dicom-web/studies?limit=1',
    );
    expect(upstreamFor('/wado?requestType=WADO', up, wado)?.href).toBe(
      'http://127.0.0.1:8042/wado?requestType=WADO',
    );
    expect(upstreamFor('/dicom-webfoo', up, wado)).toBeUndefined();
    expect(upstreamFor('/wadox', up, wado)).toBeUndefined();
    expect(upstreamFor('/index.html', up, wado)).toBeUndefined();
  });

  it('serves files inside the folder only', () => {
    const outer = mkdtempSync(path.join(tmpdir(), 'serve-'));
    const base = path.join(outer, 'root');
    mkdirSync(path.join(base, 'a'), { recursive: true });
    writeFileSync(path.join(base, 'a', 'x.js'), '1');
    writeFileSync(path.join(outer, 'secret.txt'), 's');
    expect(resolveStatic(base, '/a/x.js')).toBe(path.join(base, 'a', 'x.js'));
    expect(resolveStatic(base, '/../secret.txt')).toBeUndefined();
    expect(resolveStatic(base, '/a/%2e%2e/%2e%2e/secret.txt')).toBeUndefined();
    expect(resolveStatic(base, '/a')).toBeUndefined();
    expect(resolveStatic(base, '/%E0%A4%A')).toBeUndefined();
  });

  it('renders an app-config that points OHIF at our plugins and the proxy', () => {
    const source = renderAppConfig({ modeConfiguration: { foo: 1 } });
    // Run the generated file as the browser would, against a fake window, in a separate vm context.
    const window: { location: { origin: string }; config?: AppConfig } = {
      location: { origin: 'http://h:1' },
    };
    runInNewContext(source, { window });
    const c = window.config as AppConfig;
    expect(c.extensions).toEqual(['http://h:1/plugins/landmarks/extension.js']);
    expect(c.modes).toEqual(['http://h:1/plugins/landmarks/mode.js']);
    expect(c.modesConfiguration).toEqual({ 'ohif-landmarks-mode': { foo: 1 } });
    const ds = c.dataSources[0];
    expect(ds.configuration.qidoRoot).toBe('http://h:1/dicom-web');
    expect(ds.configuration.wadoUriRoot).toBe('http://h:1/wado');
    expect(ds.configuration.qidoSupportsIncludeField).toBe(false);
    expect(c.defaultDataSourceName).toBe(ds.sourceName);
  });
});

interface AppConfig {
  extensions: string[];
  modes: string[];
  modesConfiguration: Record<string, unknown>;
  defaultDataSourceName: string;
  dataSources: Array<{ sourceName: string; configuration: Record<string, unknown> }>;
}

describe('PACS proxy: QIDO includefield', () => {
  it('splits a comma-separated includefield into one parameter per attribute for the PACS', () => {
    const up = 'http://127.0.0.1:8042/dicom-web';
    const url = upstreamFor(
      '/dicom-web/studies?limit=25&includefield=00081030%2C00080060&fuzzymatching=true',
      up,
      up,
    )!;
    expect(url.searchParams.getAll('includefield')).toEqual(['00081030', '00080060']);
    expect(url.searchParams.get('limit')).toBe('25');
    expect(url.searchParams.get('fuzzymatching')).toBe('true');
    const plain = splitIncludeFields(new URL(`${up}/studies?includefield=00100010`));
    expect(plain.search).toBe('?includefield=00100010');
  });
});
