import type { Page } from 'playwright-core';

/**
 * Screen position of an image point, computed independently of Cornerstone: a stack viewport shows the
 * whole image fitted into its canvas, centred, with square pixels (spacing is isotropic in our test
 * images). `position` uses the DICOM SCOORD convention (0,0 = top-left corner of the first pixel).
 */
export async function imageToScreen(
  page: Page,
  viewportId: string,
  position: [number, number],
  size: { width: number; height: number },
): Promise<{ x: number; y: number }> {
  const canvas = page.locator(`[data-viewportid="${viewportId}"] canvas`).first();
  const box = await canvas.boundingBox();
  if (!box) throw new Error(`viewport ${viewportId} has no canvas`);
  const scale = Math.min(box.width / size.width, box.height / size.height);
  const left = box.x + (box.width - size.width * scale) / 2;
  const top = box.y + (box.height - size.height * scale) / 2;
  return { x: left + position[0] * scale, y: top + position[1] * scale };
}

/** Pixels of the image per CSS pixel on screen for the same fit (see imageToScreen). */
export async function screenScale(
  page: Page,
  viewportId: string,
  size: { width: number; height: number },
): Promise<number> {
  const box = await page.locator(`[data-viewportid="${viewportId}"] canvas`).first().boundingBox();
  if (!box) throw new Error(`viewport ${viewportId} has no canvas`);
  return Math.min(box.width / size.width, box.height / size.height);
}
