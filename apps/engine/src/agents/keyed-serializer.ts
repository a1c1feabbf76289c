/** Runs tasks with the same key one after another, in the order they were submitted; tasks with
 * different keys run concurrently. Used so one host's reports are applied in order while many
 * hosts' reports are applied in parallel. */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  get pendingKeys(): number {
    return this.tails.size;
  }
}
