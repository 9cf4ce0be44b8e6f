import { type Model, type PipelineStage, trusted } from 'mongoose';

/** A half-open span of time, [start, end): what statistics count over. */
export interface TimeSpan {
  readonly start: Date;
  readonly end: Date;
}

/** A UTC calendar day (YYYY-MM-DD) and what was counted or summed on it. */
export interface DayTotal {
  readonly day: string;
  readonly total: number;
}

/** The filter condition "within the span" on a date field, for find, count and $match alike. */
export function within(span: TimeSpan): Record<string, Date> {
  return trusted({ $gte: span.start, $lt: span.end });
}

/**
 * One aggregation: the documents whose `dateField` lies in the span (and that match `filter`),
 * grouped by UTC day, each day's `amount` summed (1 counts them). Days without any are absent;
 * the caller zero-fills. The $match on the date field comes first so an index on it is used.
 */
export async function totalsByUtcDay<T>(
  model: Model<T>,
  dateField: string,
  span: TimeSpan,
  options: { filter?: Record<string, unknown>; amount?: unknown } = {},
): Promise<DayTotal[]> {
  const pipeline: PipelineStage[] = [
    { $match: { [dateField]: within(span), ...options.filter } },
    {
      $group: {
        _id: { $dateToString: { format: '%Y-%m-%d', date: `$${dateField}` } },
        total: { $sum: options.amount ?? 1 },
      },
    },
  ];
  const rows = await model.aggregate<{ _id: string; total: number }>(pipeline).exec();
  return rows.map((row) => ({ day: row._id, total: row.total }));
}
