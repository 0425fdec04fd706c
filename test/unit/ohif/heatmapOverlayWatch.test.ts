/**
 * The heatmap overlay follows what the viewport displays (issue 5, session 3): redrawn on every render
 * of the predicted image, dropped once the viewport shows another image (slice, series, study) or is
 * disabled. Cornerstone's events are played on Node's EventTarget with the host's event names.
 */
import { describe, expect, it } from 'vitest';
import { watchDisplayedImage } from '../../../extension/src/ohif/panels/HeatmapOverlay.ts';
import { displayedVolumeId } from '../../../extension/src/ohif/panels/VolumeHeatmapOverlay.ts';
import type { Services } from '../../../extension/src/ohif/types.ts';

const EVENTS = {
  IMAGE_RENDERED: 'CORNERSTONE_IMAGE_RENDERED',
  STACK_NEW_IMAGE: 'CORNERSTONE_STACK_NEW_IMAGE',
  VIEWPORT_NEW_IMAGE_SET: 'CORNERSTONE_VIEWPORT_NEW_IMAGE_SET',
  ELEMENT_DISABLED: 'CORNERSTONE_ELEMENT_DISABLED',
};

/** A fake OHIF cornerstoneViewportService: PubSub with VIEWPORT_DATA_CHANGED. */
function viewportService() {
  const subscribers = new Set<(p: unknown) => void>();
  return {
    EVENTS: { VIEWPORT_DATA_CHANGED: 'event::cornerstoneViewportService:viewportDataChanged' },
    subscribe(_event: string, cb: (p: unknown) => void) {
      subscribers.add(cb);
      return { unsubscribe: () => subscribers.delete(cb) };
    },
    emit(payload: unknown) {
      subscribers.forEach((cb) => cb(payload));
    },
    get count() {
      return subscribers.size;
    },
  };
}

function setup() {
  const element = new EventTarget();
  const eventTarget = new EventTarget();
  const service = viewportService();
  const shown = { imageId: 'wadors:img-1' as string | undefined };
  const calls = { redraw: 0, drop: 0 };
  const stop = watchDisplayedImage({
    element,
    eventTarget,
    events: EVENTS,
    current: () => shown.imageId,
    imageId: 'wadors:img-1',
    redraw: () => (calls.redraw += 1),
    drop: () => (calls.drop += 1),
    services: { cornerstoneViewportService: service } as Services,
    viewportId: 'landmarks-2d',
  });
  const fire = (target: EventTarget, name: string, detail?: unknown) =>
    target.dispatchEvent(new CustomEvent(name, { detail }));
  return { element, eventTarget, service, shown, calls, stop, fire };
}

describe('heatmap overlay follows the displayed image', () => {
  it('redraws on every render of the predicted image (pan, zoom, window level)', () => {
    const t = setup();
    t.fire(t.element, EVENTS.IMAGE_RENDERED);
    t.fire(t.element, EVENTS.IMAGE_RENDERED);
    expect(t.calls).toEqual({ redraw: 2, drop: 0 });
  });

  it('drops the overlay once when the viewport scrolls to another image, then stops listening', () => {
    const t = setup();
    t.fire(t.element, EVENTS.STACK_NEW_IMAGE);
    expect(t.calls.drop).toBe(0); // same image: kept
    t.shown.imageId = 'wadors:img-2';
    t.fire(t.element, EVENTS.STACK_NEW_IMAGE);
    t.fire(t.element, EVENTS.IMAGE_RENDERED);
    t.fire(t.element, EVENTS.VIEWPORT_NEW_IMAGE_SET);
    expect(t.calls).toEqual({ redraw: 0, drop: 1 });
    expect(t.service.count).toBe(0);
  });

  it('drops the overlay when a render shows another image (no new-image event seen)', () => {
    const t = setup();
    t.shown.imageId = undefined;
    t.fire(t.element, EVENTS.IMAGE_RENDERED);
    expect(t.calls).toEqual({ redraw: 0, drop: 1 });
  });

  it('drops the overlay when its own viewport element is disabled, not another one', () => {
    const t = setup();
    t.fire(t.eventTarget, EVENTS.ELEMENT_DISABLED, { element: new EventTarget() });
    expect(t.calls.drop).toBe(0);
    t.fire(t.eventTarget, EVENTS.ELEMENT_DISABLED, { element: t.element });
    expect(t.calls.drop).toBe(1);
  });

  it('checks again when OHIF puts new data (another series or study) into its viewport', async () => {
    const t = setup();
    t.service.emit({ viewportId: 'landmarks-2d' });
    await Promise.resolve();
    expect(t.calls.drop).toBe(0); // still the predicted image
    t.shown.imageId = 'wadors:other-study';
    t.service.emit({ viewportId: 'mpr-axial' }); // another viewport: not ours
    await Promise.resolve();
    expect(t.calls.drop).toBe(0);
    t.service.emit({ viewportId: 'landmarks-2d' });
    await Promise.resolve();
    expect(t.calls.drop).toBe(1);
  });

  it('stops listening when disposed', () => {
    const t = setup();
    t.stop();
    t.shown.imageId = 'wadors:img-2';
    t.fire(t.element, EVENTS.IMAGE_RENDERED);
    t.fire(t.element, EVENTS.STACK_NEW_IMAGE);
    expect(t.calls).toEqual({ redraw: 0, drop: 0 });
    expect(t.service.count).toBe(0);
  });
});

describe('volume heatmap overlay follows the displayed volume (MPR views)', () => {
  /** A fake volume viewport: getVolumeId answers the volume it shows, or throws while it has none. */
  function volumeSetup() {
    const element = new EventTarget();
    const service = viewportService();
    const shown = { volumeId: 'cornerstoneStreamingImageVolume:ds-1' as string | undefined };
    const viewport = {
      getVolumeId: () => {
        if (!shown.volumeId) throw new Error('No actors found');
        return shown.volumeId;
      },
    };
    const calls = { redraw: 0, drop: 0 };
    watchDisplayedImage({
      element,
      eventTarget: new EventTarget(),
      events: EVENTS,
      current: () => displayedVolumeId(viewport),
      imageId: 'cornerstoneStreamingImageVolume:ds-1',
      redraw: () => (calls.redraw += 1),
      drop: () => (calls.drop += 1),
      services: { cornerstoneViewportService: service } as Services,
      viewportId: 'mpr-sagittal',
    });
    const render = () => element.dispatchEvent(new CustomEvent(EVENTS.IMAGE_RENDERED));
    return { service, shown, calls, render };
  }

  it('displayedVolumeId: the volume id, or undefined for a stack, an empty or a throwing viewport', () => {
    expect(displayedVolumeId({ getVolumeId: () => 'v:1' })).toBe('v:1');
    expect(displayedVolumeId({ getVolumeId: () => '' })).toBeUndefined();
    expect(displayedVolumeId({ getCurrentImageId: () => 'wadors:x' })).toBeUndefined();
    expect(
      displayedVolumeId({
        getVolumeId: () => {
          throw new Error('no actor');
        },
      }),
    ).toBeUndefined();
    expect(displayedVolumeId(undefined)).toBeUndefined();
  });

  it('redraws on every render of the same volume (slice scroll, camera change)', () => {
    const t = volumeSetup();
    t.render();
    t.render();
    expect(t.calls).toEqual({ redraw: 2, drop: 0 });
  });

  it('drops when OHIF puts another volume (series or study) in its viewport, or none', async () => {
    const t = volumeSetup();
    t.shown.volumeId = 'cornerstoneStreamingImageVolume:ds-2';
    t.service.emit({ viewportId: 'mpr-sagittal' });
    await Promise.resolve();
    expect(t.calls).toEqual({ redraw: 0, drop: 1 });
    const u = volumeSetup();
    u.shown.volumeId = undefined;
    u.render();
    expect(u.calls).toEqual({ redraw: 0, drop: 1 });
  });
});
