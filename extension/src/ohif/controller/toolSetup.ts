import { TOOL_GROUP_2D, TOOL_GROUP_MPR } from '../id.ts';
import { nextLandmark } from '../services/landmarkAnnotations.ts';
import { createLandmarkTool, type LandmarkDisplay } from '../tools/createLandmarkTool.ts';
import labelText from '../tools/labelText.ts';
import { toolNames } from '../tools/toolNames.ts';
import { onMoveEnd, onPick } from './moves.ts';
import type { Session } from './session.ts';

/** The mode's tool groups (2D stack and MPR) that get the landmark tool. */
const TOOL_GROUPS = [TOOL_GROUP_2D, TOOL_GROUP_MPR];

/**
 * Registers the landmark tool with Cornerstone (once) and adds it, passive, to the mode's tool groups;
 * then listens to Cornerstone's annotation events with `onEvent`. Returns the function that stops
 * listening, or undefined when `listening` says it is already done.
 */
export function initTools(
  s: Session,
  onEvent: () => void,
  listening: boolean,
): (() => void) | undefined {
  const { cornerstone, cornerstoneTools } = s.view.libs();
  if (!s.state.Tool) {
    const Tool = createLandmarkTool(
      cornerstoneTools,
      {
        nextLabel: (imageId: string | undefined) => nextFor(s, imageId),
        display: () => display(s),
        selected: () =>
          s.state.selected ? s.view.find(s.state.selected)?.annotationUID : undefined,
        onPick: (annotation, pick) => onPick(s, annotation, pick),
        onMoveEnd: (annotation) => onMoveEnd(s, annotation),
      },
      cornerstone.getEnabledElement,
    );
    cornerstoneTools.addTool(Tool);
    s.state.Tool = Tool;
  }
  for (const id of TOOL_GROUPS) {
    const group = cornerstoneTools.ToolGroupManager.getToolGroup(id);
    if (!group || group.hasTool?.(toolNames.LandmarkPoint)) continue;
    group.addTool(toolNames.LandmarkPoint);
    group.setToolPassive(toolNames.LandmarkPoint);
  }
  if (listening) return undefined;
  const events = cornerstoneTools.Enums.Events;
  const names: string[] = [
    events.ANNOTATION_ADDED,
    events.ANNOTATION_MODIFIED,
    events.ANNOTATION_REMOVED,
    events.ANNOTATION_COMPLETED,
  ];
  names.forEach((n) => cornerstone.eventTarget.addEventListener(n, onEvent));
  return () => names.forEach((n) => cornerstone.eventTarget.removeEventListener(n, onEvent));
}

/**
 * Makes a primary click place the next landmark (`on`, with the template's `names`, from template
 * `templateId`; a continued partial SR passes its template's full list) or gives the
 * primary button back to window/level (`off`), in every tool group of the mode.
 */
export function setAnnotating(
  s: Session,
  on: boolean,
  names?: string[],
  templateId?: string,
): void {
  if (names) {
    s.state.names = [...names];
    s.state.templateId = templateId;
  }
  const { cornerstoneTools } = s.view.libs();
  const primary = [{ mouseButton: cornerstoneTools.Enums.MouseBindings.Primary }];
  for (const id of TOOL_GROUPS) {
    const group = cornerstoneTools.ToolGroupManager.getToolGroup(id);
    if (!group) continue;
    if (on) {
      const current = group.getActivePrimaryMouseButtonTool?.();
      if (current && current !== toolNames.LandmarkPoint) group.setToolPassive(current);
      group.setToolActive(toolNames.LandmarkPoint, { bindings: primary });
    } else {
      group.setToolPassive(toolNames.LandmarkPoint);
      group.setToolActive('WindowLevel', { bindings: primary });
    }
  }
  s.state.annotating = on;
  s.notify();
}

/**
 * What the landmark tool draws: labels on or off, each landmark's label (its name, or its number in
 * the template being annotated or loaded, else in the first template that has it; none when hidden),
 * X_β of the selected review landmark.
 */
function display(s: Session): LandmarkDisplay {
  const selected = s.state.selected ? s.view.find(s.state.selected) : undefined;
  const { labels, names, templates } = s.state;
  return {
    showNames: labels.showNames,
    adjustedFor: selected?.annotationUID,
    labelOf: (name) =>
      labelText(
        name,
        labels,
        names.includes(name)
          ? names
          : (templates.find((t) => t.landmarks.includes(name))?.landmarks ?? []),
      ),
  };
}

/** The label of the next point placed on `imageId` (or the active viewport's target). */
function nextFor(s: Session, imageId: string | undefined): string | undefined {
  const target = imageId ? { imageId } : s.view.targetOf(s.view.activeViewport());
  if (!target) return undefined;
  const next = nextLandmark(s.state.names, s.view.annotationsOn(target));
  queueMicrotask(s.notify);
  return next;
}
