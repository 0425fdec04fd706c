// Our panels are styled with the Tailwind classes of the published OHIF app's own CSS (we ship no
// stylesheet). A class OHIF 3.13.2 does not define renders unstyled without any error: error text in
// `text-red-400` was near white. Every utility class written in the panels' source must exist in the
// viewer's CSS.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchViewer } from '../../../scripts/fetchViewer.ts';

const PANELS = path.join(import.meta.dirname, '../../../extension/src/ohif');
/** Prefixes of Tailwind utilities; other words in a string (test ids, names) are not classes. */
const UTILITY =
  /^(hover:|focus:|disabled:)?(text|bg|border|grid|gap|max-h|max-w|min-h|min-w|list|col-span|row-span|p[xytrbl]?|m[xytrbl]?|w|h|flex|items|justify|rounded|font|overflow|cursor|break|truncate|hidden|block|inline|space-[xy]|leading|tracking|whitespace|opacity|underline|contents|shrink|grow|select|pl|pr|pt|pb|ml|mr|mt|mb)(-[a-z0-9/.[\]-]+)?$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(path.join(dir, e.name))
      : e.name.endsWith('.tsx')
        ? [path.join(dir, e.name)]
        : [],
  );
}

/** Classes in className="…" and in the quoted strings of className={…} expressions. */
function classesIn(source: string): string[] {
  const literals = [
    ...[...source.matchAll(/className="([^"]*)"/g)].map((m) => m[1]!),
    ...[...source.matchAll(/className=\{([^}]*)\}/g)].flatMap((m) =>
      [...m[1]!.matchAll(/['`"]([^'`"]*)['`"]/g)].map((q) => q[1]!),
    ),
  ];
  return literals.flatMap((l) => l.split(/\s+/)).filter((c) => UTILITY.test(c));
}

/** The CSS selector of a class: Tailwind escapes `:`, `/`, `.`, `[` and `]`. */
const selector = (c: string) => `.${c.replace(/[:/.[\]]/g, (ch) => `\\${ch}`)}`;

describe('panel classes exist in the OHIF app', () => {
  let css = '';
  beforeAll(async () => {
    const dist = await fetchViewer({ log: () => undefined });
    css = readdirSync(dist)
      .filter((f) => f.endsWith('.css'))
      .map((f) => readFileSync(path.join(dist, f), 'utf8'))
      .join('\n');
  }, 300_000);

  it('finds every utility class of extension/src/ohif in the viewer CSS', () => {
    const used = new Map<string, string>();
    for (const file of sourceFiles(PANELS))
      for (const c of classesIn(readFileSync(file, 'utf8')))
        used.set(c, path.relative(PANELS, file));
    expect(used.size).toBeGreaterThan(30);
    // The check itself: a class known to exist is found, one known not to is not.
    expect(css.includes(selector('text-red-500'))).toBe(true);
    expect(css.includes(selector('text-red-400'))).toBe(false);
    const missing = [...used]
      .filter(([c]) => !css.includes(selector(c)))
      .map(([c, f]) => `${c} (${f})`);
    expect(missing).toEqual([]);
  });
});
