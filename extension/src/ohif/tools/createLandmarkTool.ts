import { toolNames } from './toolNames.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The label the tool gives a new point; undefined when every landmark of the template is placed. */
export type NextLabel = (referencedImageId: string | undefined) => string | undefined;

/**
 * Builds the landmark tool class on top of the HOST's Cornerstone ProbeTool (the base class only exists
 * at run time, so the class is created in this factory, never at import time).
 *
 * A click places one point labelled with the next unplaced landmark of the active template
 * (`nextLabel`); the label is drawn next to the point; dragging the point or its label corrects it
 * (ProbeTool's handle behaviour). When all landmarks are placed, further clicks are ignored.
 */
export function createLandmarkTool(cornerstoneTools: any, nextLabel: NextLabel): any {
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
          getTextLines: (data: { label?: string }) => [data.label ?? ''],
        },
      });
      const base = this.addNewAnnotation;
      // ProbeTool defines addNewAnnotation as an instance arrow function, so wrap it here.
      this.addNewAnnotation = (evt: any) => {
        const imageId: string | undefined =
          evt?.detail?.enabledElement?.viewport?.getCurrentImageId?.();
        pendingLabel = nextLabel(imageId);
        if (!pendingLabel) return undefined;
        try {
          return base.call(this, evt);
        } finally {
          pendingLabel = undefined;
        }
      };
    }
  }
  return LandmarkPointTool;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
