export interface Closable {
  close(): Promise<unknown>;
}

/**
 * For afterAll: closes, in order, what a suite opened, skipping what its beforeAll never got to
 * create (so a failed beforeAll never turns into a TypeError that leaves the rest open). Every
 * close runs even when an earlier one throws; the first failure is rethrown at the end.
 */
export async function closeAll(...resources: readonly (Closable | undefined)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const resource of resources) {
    if (resource === undefined) continue;
    try {
      await resource.close();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, 'closing the suite failed');
}
