/** One landmark move: the annotation, its name and its world point before and after. */
export interface LandmarkMove {
  uid: string;
  name: string;
  before: number[];
  after: number[];
}

/**
 * The landmark moves of the review/annotation session, newest last, for "Undo move" (button and
 * Ctrl+Z). A drag is recorded when it ends away from where it started (`start` on the press, `end` on
 * the release); "Use adjusted" records its move directly. Keeps at most `limit` moves.
 */
export class MoveHistory {
  private pending?: Omit<LandmarkMove, 'after'>;
  private moves: LandmarkMove[] = [];

  constructor(private readonly limit = 100) {}

  /** A press grabbed landmark `name` (annotation `uid`) at world point `point`. */
  start(uid: string, name: string, point: readonly number[]): void {
    this.pending = { uid, name, before: [...point] };
  }

  /** The grab of `uid` ended at `point`; returns the move when the point moved (and records it). */
  end(uid: string, point: readonly number[]): LandmarkMove | undefined {
    const p = this.pending;
    this.pending = undefined;
    if (!p || p.uid !== uid) return undefined;
    if (p.before.every((v, i) => v === point[i]) && p.before.length === point.length)
      return undefined;
    const move = { ...p, after: [...point] };
    this.record(move);
    return move;
  }

  /** Records a move made otherwise (e.g. to the shape-adjusted position). */
  record(move: LandmarkMove): void {
    this.moves.push({ ...move, before: [...move.before], after: [...move.after] });
    if (this.moves.length > this.limit) this.moves.shift();
  }

  /** The move an undo would revert, if any. */
  last(): LandmarkMove | undefined {
    return this.moves[this.moves.length - 1];
  }

  /** Removes and returns the newest move. */
  pop(): LandmarkMove | undefined {
    return this.moves.pop();
  }

  /** Forgets every move (another SR or image was loaded). */
  clear(): void {
    this.moves = [];
    this.pending = undefined;
  }
}
