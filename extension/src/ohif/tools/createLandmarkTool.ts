import { drawAdjusted } from './drawAdjusted.ts';
import { toolNames } from './toolNames.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The label the tool gives a new point; undefined when every landmark of the template is placed. */
export type NextLabel = (referencedImageId: string | undefined) => string | undefined;

/** Display switches the tool reads on every render. */
export interface LandmarkDisplay {
  /** Draw landmark names beside the points (the panel's "Names" toggle). */
  showNames: boolean;
  /** Annotation UID whose shape-adjusted position X_β is drawn (the landmark selected in review). */
  adjustedFor?: string;
}

/** What the tool asks its owner (the controller). */
export interface LandmarkToolHooks {
  nextLabel: NextLabel;
  display: () => LandmarkDisplay;
}

/**
 * Builds the landmark tool class on top of the HOST's Cornerstone ProbeTool (the base class only exists
 * at run time, so the class is created in this factory, never at import time).
 *
 * A click places one point labelled with the next unplaced landmark of the active template
 * (`nextLabel`); the label is drawn next to the point unless names are hidden (`display().showNames`);
 * dragging the point or its label corrects it (ProbeTool's handle behaviour). When all landmarks are
 * placed, further clicks are ignored. For the landmark selected in review, the shape-adjusted position
 * X_β is drawn as a hollow circle joined to the point, with the deviation in mm (drawAdjusted.ts).
 */
export function createLandmarkTool(cornerstoneTools: any, hooks: LandmarkToolHooks): any {
  const ProbeTool = cornerstoneTools.ProbeTool;
  let pendingLabel: string | undefined;
  class LandmarkPointTool extends ProbeTool {
    static toolName = toolNames.LandmarkPoint;

    /** Labels the annotation before it enters the store, so ANNOTATION_ADDED listeners see the name. */
    static createAnnotationForViewport(viewport: any, overrides: any) {
      const annotation = super.createAnnotationForViewport(viewport, overrides);
      if (pendingLabel !== undefined) annotation.data.label = pendingLabel;
      return annotation;
    }

    constructor(
      toolProps: Record<string, unknown> = {},
      defaultToolProps: Record<string, any> = {},
    ) {
      super(toolProps, {
        ...defaultToolProps,
        configuration: {
          ...(defaultToolProps.configuration ?? {}),
          shadow: true,
          preventHandleOutsideImage: true,
          // ProbeTool draws no text box when this returns undefined.
          getTextLines: (data: { label?: string }) =>
            hooks.display().showNames ? [data.label ?? ''] : undefined,
        },
      });
      const base = this.addNewAnnotation;
      // ProbeTool defines addNewAnnotation and renderAnnotation as instance arrow functions, so wrap
      // them here.
      this.addNewAnnotation = (evt: any) => {
        const imageId: string | undefined =
          evt?.detail?.enabledElement?.viewport?.getCurrentImageId?.();
        pendingLabel = hooks.nextLabel(imageId);
        if (!pendingLabel) return undefined;
        try {
          return base.call(this, evt);
        } finally {
          pendingLabel = undefined;
        }
      };
      const render = this.renderAnnotation;
      this.renderAnnotation = (enabledElement: any, svgDrawingHelper: any) => {
        const drawn = render.call(this, enabledElement, svgDrawingHelper);
        return this.renderAdjusted(enabledElement, svgDrawingHelper) || drawn;
      };
    }

    /** X_β of the selected review landmark, when it is on this viewport. */
    renderAdjusted(enabledElement: any, svgDrawingHelper: any): boolean {
      const uid = hooks.display().adjustedFor;
      if (!uid) return false;
      const { viewport } = enabledElement;
      const all = cornerstoneTools.annotation.state.getAnnotations(
        toolNames.LandmarkPoint,
        viewport.element,
      );
      const mine = this.filterInteractableAnnotationsForElement(viewport.element, all ?? []) ?? [];
      const annotation = mine.find((a: any) => a.annotationUID === uid);
      if (!annotation) return false;
      const { color } = this.getAnnotationStyle({
        annotation,
        styleSpecifier: {
          toolGroupId: this.toolGroupId,
          toolName: this.getToolName(),
          viewportId: viewport.id,
          annotationUID: uid,
        },
      });
      return drawAdjusted(cornerstoneTools.drawing, viewport, svgDrawingHelper, annotation, color);
    }
  }
  return LandmarkPointTool;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
