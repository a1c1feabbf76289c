import { Logger } from '@nestjs/common';

/**
 * Rollback declared where each resource is made (xen-orchestra's `$defer.onFailure`): right after a
 * step creates something, register how to remove it; if a later step fails, `unwind()` runs the
 * registered undos newest first. An undo that fails is logged and the others still run (the
 * garbage collector removes what is left after its grace period).
 */
export class UndoStack {
  private readonly undos: { what: string; undo: () => Promise<unknown> }[] = [];

  constructor(private readonly logger: Logger) {}

  onFailure(what: string, undo: () => Promise<unknown>): void {
    this.undos.push({ what, undo });
  }

  get size(): number {
    return this.undos.length;
  }

  async unwind(): Promise<void> {
    for (let step = this.undos.pop(); step; step = this.undos.pop()) {
      try {
        await step.undo();
      } catch (err) {
        this.logger.warn(
          `rollback of ${step.what} failed: ${(err as Error).message}; left for the garbage collector`,
        );
      }
    }
  }
}
