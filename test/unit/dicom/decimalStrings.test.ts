// Decimal strings (DS, at most 16 characters) written by writePart10 keep their value: dcmjs alone
// would cut String(n) to 16 characters and lose the exponent.
import { describe, expect, it } from 'vitest';
import { readPart10, writePart10, num } from '../../../extension/src/dicom/datasetIo.ts';

describe('writePart10: DS values', () => {
  it('keeps tiny, long and nested DS numbers to 1e-9 relative (or exactly where short)', () => {
    const position = [-1.4210854715202004e-14, 50.400000000000006, -123.45];
    const dataset = {
      SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
      SOPInstanceUID: '2.25.1',
      ImagePositionPatient: position,
      SliceThickness: 1.35921170887877e-5,
      PixelSpacing: [0.1, 0.1],
      ReferencedImageSequence: [{ ReferencedSOPInstanceUID: '2.25.2' }],
      MeasuredValueSequence: [{ NumericValue: 9.87654321e-12 }],
      PatientName: 'Test^DS',
    };
    const back = readPart10(writePart10(dataset), 'test');
    const close = (got: number, want: number) =>
      expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-9);
    position.forEach((p, k) => close(num(back.ImagePositionPatient, k), p));
    close(num(back.SliceThickness), 1.35921170887877e-5);
    expect([num(back.PixelSpacing, 0), num(back.PixelSpacing, 1)]).toEqual([0.1, 0.1]);
    const measured = (back.MeasuredValueSequence as Record<string, unknown>[])[0]!;
    close(num(measured.NumericValue), 9.87654321e-12);
    expect(back.PatientName).toEqual([{ Alphabetic: 'Test^DS' }]);
  });
});
