import { getCornerstone, type CornerstoneLibraries } from '../services/cornerstone.ts';
import {
  landmarkAnnotations,
  type PointAnnotation,
  type Target,
} from '../services/landmarkAnnotations.ts';
import type { OhifContext } from '../types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The host's Cornerstone as the controller sees it: the viewports OHIF shows and our landmark
 * annotations on them. Cornerstone is looked up on first use (never at import time).
 */
export class ViewerAccess {
  private cs?: CornerstoneLibraries;

  constructor(private readonly ctx: OhifContext) {}

  /** The host's cornerstone core and tools (throws a clear error when the host has none). */
  libs(): CornerstoneLibraries {
    this.cs ??= getCornerstone(this.ctx.extensionManager);
    return this.cs;
  }

  /** Whether Cornerstone was reached already (state reads never trigger the lookup). */
  get ready(): boolean {
    return this.cs !== undefined;
  }

  /** The Cornerstone viewport of an OHIF viewport id, or undefined while it is not ready. */
  viewport(id: string | undefined): any {
    const { cornerstoneViewportService } = this.ctx.servicesManager.services;
    return id ? (cornerstoneViewportService as any)?.getCornerstoneViewport?.(id) : undefined;
  }

  /** The active Cornerstone viewport, or undefined while none is ready. */
  activeViewport(): any {
    return this.viewport(
      this.ctx.servicesManager.services.viewportGridService?.getActiveViewportId(),
    );
  }

  /** What the viewport's landmarks belong to: its image (stack) or its volume's Frame of Reference. */
  targetOf(viewport: any): Target | undefined {
    if (!viewport) return undefined;
    if (typeof viewport.getFrameOfReferenceUID === 'function' && viewport.type === 'orthographic') {
      return { frameOfReferenceUid: viewport.getFrameOfReferenceUID() };
    }
    const imageId = viewport.getCurrentImageId?.();
    return imageId ? { imageId } : undefined;
  }

  /** Our landmark annotations on a target (display-only MPR copies excluded). */
  annotationsOn(target: Target): PointAnnotation[] {
    const { state } = this.libs().cornerstoneTools.annotation;
    return landmarkAnnotations(state.getAllAnnotations() as PointAnnotation[], target);
  }

  /** Our landmark annotations on the active viewport; empty while nothing is shown. */
  currentAnnotations(): PointAnnotation[] {
    try {
      const target = this.targetOf(this.activeViewport());
      return target && this.ready ? this.annotationsOn(target) : [];
    } catch {
      return [];
    }
  }

  /** The landmark called `name` on the active viewport. */
  find(name: string | undefined): PointAnnotation | undefined {
    return this.currentAnnotations().find((a) => a.data.label === name);
  }

  /** Re-renders every Cornerstone viewport of the host (annotations are redrawn with them). */
  renderAll(): void {
    const engines = this.libs().cornerstone.getRenderingEngines?.();
    if (!engines) return this.activeViewport()?.render();
    for (const engine of engines) engine.render?.();
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
