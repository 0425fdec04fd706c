import { ADJUSTED_IDS, ADJUSTED_TEXT_UID, drawAdjusted } from './drawAdjusted.ts';
import createTextMeasurer from './createTextMeasurer.ts';
import pickLandmark, { type LandmarkPick } from './pickLandmark.ts';
import type { Segment } from './placeLabels.ts';
import renderLabels, { canvasBounds, nameSources, type LabelSource } from './renderLabels.ts';
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
  /**
   * Text drawn beside the landmark named `name` (its number in numbers-only mode, labelText.ts);
   * undefined hides that landmark's label. Without it, the name itself.
   */
  labelOf?: (name: string) => string | undefined;
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
 * (`nextLabel`); dragging the point corrects it (ProbeTool's handle behaviour). When all landmarks are
 * placed, further clicks are ignored. For the landmark selected in review, the shape-adjusted position
 * X_β is drawn as a hollow circle joined to the point, with the deviation in mm (drawAdjusted.ts).
 * Labels (names, or numbers, unless hidden: `display()`; and the X_β deviation) are placed together
 * on each render of a viewport, so that no two overlap and all stay inside it, with a leader line
 * when moved from beside their point, and drawn over a dark halo (renderLabels.ts, placeLabels.ts).
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
  const measure = createTextMeasurer();
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
        return this.renderLabels(enabledElement, svgDrawingHelper) || drawn;
      };
    }

    /**
     * The landmark a press at `canvasCoords` grabs (pickLandmark.ts): of the unlocked, visible points
     * this viewport shows within `proximity` canvas pixels (a 3D landmark's copy in another MPR view
     * too: dragging it moves the landmark, controller/mprCopies.ts), the selected one, else the nearest.
     */
    pickAt(element: HTMLDivElement, canvasCoords: number[], proximity: number) {
      const viewport = getEnabledElement(element)?.viewport;
      if (!viewport) return undefined;
      const { locking, visibility } = cornerstoneTools.annotation;
      const shown = this.shownOn(viewport).filter(
        (a: any) =>
          !locking?.isAnnotationLocked?.(a.annotationUID) &&
          visibility?.isAnnotationVisible?.(a.annotationUID) !== false,
      );
      const candidates = shown.map((a: any) => ({
        uid: a.annotationUID,
        name: a.data.label ?? '',
        canvas: viewport.worldToCanvas(a.data.handles.points[0]),
      }));
      // The selected landmark, or its copy in this view.
      const selectedUid = hooks.selected?.();
      const selected = shown.find(
        (a: any) => (a.data?.companionOf ?? a.annotationUID) === selectedUid,
      )?.annotationUID;
      return pickLandmark(candidates, canvasCoords, proximity, selected);
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

    /**
     * The viewport's labels in one placement: X_β of the selected review landmark (marker, line and
     * deviation), then each visible landmark's name or number in its status colour.
     */
    renderLabels(enabledElement: any, svgDrawingHelper: any): boolean {
      const { viewport } = enabledElement;
      const display = hooks.display();
      const visible = cornerstoneTools.annotation.visibility?.isAnnotationVisible;
      const shown = this.shownOn(viewport);
      const canvasOf = (a: any) => viewport.worldToCanvas(a.data.handles.points[0]) as number[];
      const points: Array<[number, number]> = shown
        .map(canvasOf)
        .filter((p: number[]) => p.every(Number.isFinite))
        .map((p: number[]) => [p[0], p[1]]);
      const sources: LabelSource[] = [];
      const adjusted = this.adjustedSource(viewport, svgDrawingHelper, shown, display.adjustedFor);
      if (adjusted) {
        sources.push(adjusted);
        points.push(adjusted.anchor);
      }
      if (display.showNames) {
        const named = shown.filter((a: any) => !visible || visible(a.annotationUID));
        const textOf = (name: string) => (display.labelOf ? display.labelOf(name) : name);
        const styleOf = (a: any) => this.getLinkedTextBoxStyle(this.styleOf(viewport, a), a);
        sources.push(...nameSources(named, canvasOf, textOf, styleOf));
      }
      const bounds = canvasBounds(viewport) ?? { width: Infinity, height: Infinity };
      const lines = adjusted ? [adjusted.line] : [];
      const scene = { bounds, points, lines, measure };
      return renderLabels(svgDrawingHelper, sources, scene) || !!adjusted;
    }

    /** Draws X_β of the selected review landmark, when it is on this viewport; its label to place. */
    adjustedSource(
      viewport: any,
      svgDrawingHelper: any,
      shown: any[],
      uid: string | undefined,
    ): (LabelSource & { line: Segment }) | undefined {
      const annotation = uid ? shown.find((a: any) => a.annotationUID === uid) : undefined;
      if (!annotation) return undefined;
      const specifier = this.styleOf(viewport, annotation);
      const { color } = this.getAnnotationStyle({ annotation, styleSpecifier: specifier });
      const drawing = cornerstoneTools.drawing;
      const label = drawAdjusted(drawing, viewport, svgDrawingHelper, annotation, color);
      if (!label) return undefined;
      return {
        annotationUID: annotation.annotationUID,
        textUID: ADJUSTED_TEXT_UID,
        text: label.text,
        anchor: label.anchor,
        style: { ...this.getLinkedTextBoxStyle(specifier, annotation), color },
        ids: { text: ADJUSTED_IDS.text, leader: ADJUSTED_IDS.leader },
        gap: label.gap,
        priority: 1,
        line: label.line,
      };
    }
  }
  return LandmarkPointTool;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
