import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUid, uidFromSeed } from '../../../extension/src/dicom/uids.ts';
import {
  LOCAL_SCHEME,
  landmarkCode,
  statusFromCode,
  STATUS_CODES,
} from '../../../extension/src/dicom/srCodes.ts';
import { LANDMARK_STATUSES } from '../../../extension/src/dicom/types.ts';

const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;

describe('deterministic UIDs', () => {
  it('are valid UIDs of at most 64 characters, equal for equal seeds, different otherwise', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const ua = uidFromSeed(a);
        expect(ua).toMatch(UID);
        expect(ua.length).toBeLessThanOrEqual(64);
        expect(uidFromSeed(a)).toBe(ua);
        if (a !== b) expect(uidFromSeed(b)).not.toBe(ua);
      }),
    );
    expect(randomUid()).toMatch(UID);
    expect(randomUid()).not.toBe(randomUid());
  });

  it('differ for 10 000 similar seeds', () => {
    const uids = new Set(Array.from({ length: 10_000 }, (_, i) => uidFromSeed(`study/${i}/slice`)));
    expect(uids.size).toBe(10_000);
  });
});

describe('local codes', () => {
  it('code landmark names in the 99LMK scheme within the 16-character SH limit, keeping the name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (name) => {
        const code = landmarkCode(name);
        expect(code.CodingSchemeDesignator).toBe(LOCAL_SCHEME);
        expect(code.CodeValue.length).toBeLessThanOrEqual(16);
        expect(code.CodeMeaning).toBe(name);
      }),
    );
    expect(landmarkCode('Sella').CodeValue).toBe('L-SELLA');
    expect(() => landmarkCode('')).toThrow(/1 to 64/);
  });

  it('map every status to a code and back', () => {
    for (const status of LANDMARK_STATUSES)
      expect(statusFromCode(STATUS_CODES[status].CodeValue)).toBe(status);
    expect(statusFromCode('S-UNKNOWN')).toBeUndefined();
  });
});
