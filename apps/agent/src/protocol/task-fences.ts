import { AgentError } from '../errors/agent-error';

/** How many tasks' generations are remembered (oldest forgotten first): far more than run at once. */
const REMEMBERED = 10_000;

/**
 * The highest owner generation this host has seen per task (ADR 0016). When an engine is taken for
 * dead, another claims its tasks with a higher generation; the first one may still be running and
 * send commands between two of its (fenced) task writes. Once this host has seen the adopter's
 * generation for a task, commands of the older generation are refused (`task_fenced`), not run.
 * Kept in memory: after an agent restart the first command of a task sets the bar again (the
 * engine's task writes stay fenced either way).
 */
export class TaskFences {
  private readonly seen = new Map<string, number>();

  constructor(private readonly remembered = REMEMBERED) {}

  /** Lets a command of `fence` run (remembering its generation), or throws `task_fenced`. */
  admit(fence: { taskId: string; generation: number } | undefined, command: string): void {
    if (!fence) return;
    const { taskId, generation } = fence;
    const highest = this.seen.get(taskId);
    if (highest !== undefined && generation < highest)
      throw new AgentError(
        'task_fenced',
        `${command} of task ${taskId} comes from owner generation ${generation}, but this host already ` +
          `took commands of generation ${highest} (another engine adopted the task): not run`,
        { taskId, generation, highest },
      );
    if (highest === generation) return;
    // Re-inserted so that the map's order is least recently raised first.
    this.seen.delete(taskId);
    this.seen.set(taskId, generation);
    if (this.seen.size > this.remembered) this.seen.delete(this.seen.keys().next().value!);
  }
}
