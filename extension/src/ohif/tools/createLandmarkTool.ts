import { drawAdjusted } from './drawAdjusted.ts';
import { drawName } from './drawName.ts';
import pickLandmark, { type LandmarkPick } from './pickLandmark.ts';
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
  /** Annotation UID of the landmark selected in the panel: a press within reach grabs it first. */
  selected?: () => string | undefined;
  /** A press grabbed `annotation` (before any drag), chosen as `pick` says. */
  onPick?: (annotation: any, pick: LandmarkPick) => void;
  /** The press on an existing point ended (dragged or not). */
  onMoveEnd?: (annotation: any) => void;
}

/**
 * Builds the landmark tool class on top of the HOST's Cornerstone ProbeTool (the base class only exists
 * at run time, so the class is created in this factory, never at import time).
 *
 * A click places one point labelled with the next unplaced landmark of the active template
 * (`nextLabel`); the label is drawn next to the point, at a fixed offset (drawName.ts), unless names
 * are hidden (`display().showNames`); dragging the point corrects it (ProbeTool's handle behaviour).
 * When all landmarks are
 * placed, further clicks are ignored. For the landmark selected in review, the shape-adjusted position
 * X_β is drawn as a hollow circle joined to the point, with the deviation in mm (drawAdjusted.ts).
 *
 * Hit-testing: a press grabs the landmark selected in the panel when it is within reach, else the
 * nearest point in reach (pickLandmark.ts); Cornerstone alone takes the first annotation in store order.
 * Moves of existing points make no Cornerstone history memo: the controller records them for its own
 * "Undo move" (placements keep theirs, so the host's undo still removes a placed point).
 * `getEnabledElement` is the host's `@cornerstonejs/core` function of that name.
 */
export function createLandmarkTool(
  cornerstoneTools: any,
  hooks: LandmarkToolHooks,
  getEnabledElement: (element: HTMLDivElement) => any = () => undefined,
): any {
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
          // ProbeTool draws no text box when this returns undefined: names are drawn by renderNames,
          // anchored to their points (drawName.ts says why).
          getTextLines: () => undefined,
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
      const end = this._endCallback;
      if (typeof end === 'function') {
        this._endCallback = (evt: any) => {
          const edit = this.editData;
          end.call(this, evt);
          if (edit?.annotation && !edit.newAnnotation) hooks.onMoveEnd?.(edit.annotation);
        };
      }
      const render = this.renderAnnotation;
      this.renderAnnotation = (enabledElement: any, svgDrawingHelper: any) => {
        const drawn = render.call(this, enabledElement, svgDrawingHelper);
        const named = this.renderNames(enabledElement, svgDrawingHelper);
        return this.renderAdjusted(enabledElement, svgDrawingHelper) || named || drawn;
      };
    }

    /**
     * The landmark a press at `canvasCoords` grabs (pickLandmark.ts): of the unlocked, visible points
     * this viewport shows within `proximity` canvas pixels, the selected one, else the nearest.
     */
    pickAt(element: HTMLDivElement, canvasCoords: number[], proximity: number) {
      const viewport = getEnabledElement(element)?.viewport;
      if (!viewport) return undefined;
      const { locking, visibility } = cornerstoneTools.annotation;
      const candidates = this.shownOn(viewport)
        .filter(
          (a: any) =>
            !a.data?.companionOf &&
            !locking?.isAnnotationLocked?.(a.annotationUID) &&
            visibility?.isAnnotationVisible?.(a.annotationUID) !== false,
        )
        .map((a: any) => ({
          uid: a.annotationUID,
          name: a.data.label ?? '',
          canvas: viewport.worldToCanvas(a.data.handles.points[0]),
        }));
      return pickLandmark(candidates, canvasCoords, proximity, hooks.selected?.());
    }

    /** ProbeTool's handle test, answering only for the landmark {@link pickAt} grabs. */
    getHandleNearImagePoint(
      element: HTMLDivElement,
      annotation: any,
      canvasCoords: number[],
      proximity: number,
    ) {
      const pick = this.pickAt(element, canvasCoords, proximity);
      return pick?.uid === annotation.annotationUID ? annotation.data.handles.points[0] : undefined;
    }

    /** ProbeTool's "near the tool" test, answering only for the landmark {@link pickAt} grabs. */
    isPointNearTool(
      element: HTMLDivElement,
      annotation: any,
      canvasCoords: number[],
      proximity: number,
    ): boolean {
      return this.pickAt(element, canvasCoords, proximity)?.uid === annotation.annotationUID;
    }

    /** A press grabbed `annotation`: tells the controller which one and why, then ProbeTool's drag. */
    handleSelectedCallback(evt: any, annotation: any, handle: any, interactionType: any) {
      const { element, currentPoints } = evt.detail;
      const pick = this.pickAt(element, currentPoints.canvas, interactionType === 'Touch' ? 36 : 6);
      if (pick && pick.uid === annotation.annotationUID) hooks.onPick?.(annotation, pick);
      return super.handleSelectedCallback(evt, annotation, handle, interactionType);
    }

    /** History memo for placements only; moves are recorded by the controller (class comment). */
    createMemo(element: HTMLDivElement, annotation: any, options?: { newAnnotation?: boolean }) {
      if (options?.newAnnotation) return super.createMemo?.(element, annotation, options);
      return undefined;
    }

    /** Our annotations that this viewport shows (ProbeTool's own filter: image or view plane). */
    shownOn(viewport: any): any[] {
      const all = cornerstoneTools.annotation.state.getAnnotations(
        toolNames.LandmarkPoint,
        viewport.element,
      );
      return this.filterInteractableAnnotationsForElement(viewport.element, all ?? []) ?? [];
    }

    /** The style specifier Cornerstone resolves an annotation's colours and text style with. */
    styleOf(viewport: any, annotation: any): any {
      return {
        toolGroupId: this.toolGroupId,
        toolName: this.getToolName(),
        viewportId: viewport.id,
        annotationUID: annotation.annotationUID,
      };
    }

    /** Each landmark's name beside its point, in its status colour (unless names are hidden). */
    renderNames(enabledElement: any, svgDrawingHelper: any): boolean {
      if (!hooks.display().showNames) return false;
      const { viewport } = enabledElement;
      const visible = cornerstoneTools.annotation.visibility?.isAnnotationVisible;
      let drawn = false;
      for (const annotation of this.shownOn(viewport)) {
        if (visible && !visible(annotation.annotationUID)) continue;
        const style = this.getLinkedTextBoxStyle(this.styleOf(viewport, annotation), annotation);
        if (!style.visibility) continue;
        const point = viewport.worldToCanvas(annotation.data.handles.points[0]);
        drawName(
          cornerstoneTools.drawing,
          svgDrawingHelper,
          annotation.annotationUID,
          annotation.data.label ?? '',
          point,
          style,
        );
        drawn = true;
      }
      return drawn;
    }

    /** X_β of the selected review landmark, when it is on this viewport. */
    renderAdjusted(enabledElement: any, svgDrawingHelper: any): boolean {
      const uid = hooks.display().adjustedFor;
      if (!uid) return false;
      const { viewport } = enabledElement;
      const annotation = this.shownOn(viewport).find((a: any) => a.annotationUID === uid);
      if (!annotation) return false;
      const { color } = this.getAnnotationStyle({
        annotation,
        styleSpecifier: this.styleOf(viewport, annotation),
      });
      return drawAdjusted(cornerstoneTools.drawing, viewport, svgDrawingHelper, annotation, color);
    }
  }
  return LandmarkPointTool;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
