// What `npm start` stores in a fresh local Orthanc (scripts/serveStack.ts seedDemo), read back through
// QIDO and the study catalog: 12 cephalograms (6 annotated), 5 CBCT volumes (3 annotated: 3D training
// in the panel needs 3; 2 to pseudo-label), 1 clinical-size CBCT to pseudo-label, the real head CT when invesalius-examples is installed, each
// with its own accession number and a readable description (issues 14 item 7, 16 item 3). A second
// start adds nothing. Also logs how long seeding takes.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEAD_CT_DESCRIPTION,
  INVESALIUS_CRANIUM,
} from '../../../extension/src/node/pacsImport/invesaliusCt.ts';
import { createPacsClient, type PacsClient } from '../../../extension/src/pacs/pacsClient.ts';
import { studyCatalog } from '../../../extension/src/pacs/studyCatalog.ts';
import { seedDemo } from '../../../scripts/serveStack.ts';
import { startOrthanc, type TestOrthanc } from '../../support/orthanc.ts';

const headCt = existsSync(INVESALIUS_CRANIUM);
let pacs: TestOrthanc;
let client: PacsClient;
beforeAll(async () => {
  pacs = await startOrthanc();
  client = await createPacsClient({ url: pacs.dicomWebUrl });
});
afterAll(async () => {
  await pacs?.stop();
});

const text = (study: Record<string, unknown>, key: string) => String(study[key] ?? '');

describe('npm start demo seeding', () => {
  it('seeds 18 synthetic studies (+ the head CT) into an empty PACS, each named and unique', async () => {
    const t0 = Date.now();
    const lines = await seedDemo(pacs.dicomWebUrl, {}, true);
    console.log(`seeding took ${Date.now() - t0} ms:\n${lines.join('\n')}`);
    expect(lines[0]).toMatch(/^ {4}seeded 18 synthetic demo studies in \d+\.\d s$/);
    if (headCt) expect(lines[1]).toMatch(/head CT \(invesalius-examples\): 108 slices stored/);

    const studies = await client.searchStudies();
    expect(studies).toHaveLength(headCt ? 19 : 18);
    const accession = studies.map((s) => text(s, 'AccessionNumber'));
    expect(new Set(accession).size).toBe(studies.length);
    const descriptions = studies.map((s) => text(s, 'StudyDescription')).sort();
    expect(descriptions.filter((d) => d === 'Lateral cephalogram')).toHaveLength(12);
    expect(descriptions.filter((d) => d === 'CBCT head')).toHaveLength(6);
    if (headCt) expect(descriptions).toContain(HEAD_CT_DESCRIPTION);

    const catalog = await studyCatalog(client);
    const ct = await studyCatalog(client, { modality: 'CT' });
    expect(catalog.filter((c) => c.annotated)).toHaveLength(9);
    expect(ct.filter((c) => c.annotated)).toHaveLength(3);
    expect(ct.filter((c) => !c.annotated)).toHaveLength(headCt ? 4 : 3); // 3 CBCT + the head CT
  });

  it('adds nothing on the next start (the head CT is already there)', async () => {
    const lines = await seedDemo(pacs.dicomWebUrl, {}, true);
    expect(lines).toEqual(['    PACS already has studies, not seeding the synthetic ones']);
    expect(await client.searchStudies()).toHaveLength(headCt ? 19 : 18);
  });
});
