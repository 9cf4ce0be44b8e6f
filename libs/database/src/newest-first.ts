import { type Model, trusted, Types } from 'mongoose';

/**
 * The keyset paging of every list: newest first, after the cursor's id, limit + 1 rows so that
 * `toPage` (from @app/common) can tell whether another page exists.
 */
export function newestFirst<T>(
  model: Model<T>,
  filter: Record<string, unknown>,
  cursor: string | undefined,
  limit: number,
) {
  const where = cursor ? { ...filter, _id: trusted({ $lt: new Types.ObjectId(cursor) }) } : filter;
  return model
    .find(where)
    .sort({ _id: -1 })
    .limit(limit + 1);
}
