/**
 * Work run one after another per key, in this process: the next starts once the one before it
 * has settled (resolved or failed). A key's chain is forgotten once it is empty.
 */
export class SerialByKey {
  private readonly chains = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.chains.get(key) ?? Promise.resolve();
    const next = before.then(work, work);
    const settled = next.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }
}
