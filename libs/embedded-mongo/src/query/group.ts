import { Int32 } from 'bson';
import { compareValues, valueKey } from '../bson/compare';
import { addNumbers, averageOf } from '../bson/numbers';
import { BsonNumber, Doc, isNumeric, isPlainObject, MISSING, setField } from '../bson/values';
import { badValue } from '../errors';
import { compileExpression, Evaluator } from './expression';

interface Accumulator {
  add(value: unknown): void;
  result(): unknown;
}

type AccumulatorFactory = () => Accumulator;

function sum(): Accumulator {
  let total: BsonNumber = new Int32(0);
  return {
    add: (v) => {
      if (isNumeric(v)) total = addNumbers(total, v);
    },
    result: () => total,
  };
}

function avg(): Accumulator {
  let total: BsonNumber = new Int32(0);
  let count = 0;
  return {
    add: (v) => {
      if (!isNumeric(v)) return;
      total = addNumbers(total, v);
      count++;
    },
    result: () => (count === 0 ? null : averageOf(total, count)),
  };
}

function extremum(wantSmaller: boolean): AccumulatorFactory {
  return () => {
    let best: unknown = MISSING;
    return {
      add: (v) => {
        if (v === MISSING || v === null || v === undefined) return;
        const cmp = best === MISSING ? 0 : compareValues(v, best);
        if (best === MISSING || (wantSmaller ? cmp < 0 : cmp > 0)) best = v;
      },
      result: () => (best === MISSING ? null : best),
    };
  };
}

function firstOrLast(last: boolean): AccumulatorFactory {
  return () => {
    let seen = false;
    let value: unknown = null;
    return {
      add: (v) => {
        if (seen && !last) return;
        seen = true;
        value = v === MISSING ? null : v;
      },
      result: () => value,
    };
  };
}

function collect(unique: boolean): AccumulatorFactory {
  return () => {
    const values = new Map<string, unknown>();
    const list: unknown[] = [];
    return {
      add: (v) => {
        if (v === MISSING) return;
        if (unique) values.set(valueKey(v), v);
        else list.push(v);
      },
      result: () => (unique ? [...values.values()] : list),
    };
  };
}

const ACCUMULATORS: Record<string, AccumulatorFactory> = {
  $sum: sum,
  $avg: avg,
  $min: extremum(true),
  $max: extremum(false),
  $first: firstOrLast(false),
  $last: firstOrLast(true),
  $push: collect(false),
  $addToSet: collect(true),
};

interface Field {
  name: string;
  make: AccumulatorFactory;
  evaluate: Evaluator;
}

/** A $group the store evaluates itself (numbers keep their BSON types), or null for mingo. */
export function compileGroup(spec: unknown, variables?: Doc): ((docs: Doc[]) => Doc[]) | null {
  if (!isPlainObject(spec) || !Object.hasOwn(spec, '_id')) {
    throw badValue('a group specification must include an _id');
  }
  const fields: Field[] = [];
  for (const [name, accumulator] of Object.entries(spec)) {
    if (name === '_id') continue;
    if (!isPlainObject(accumulator) || Object.keys(accumulator).length !== 1) return null;
    const [op] = Object.keys(accumulator);
    if (op === '$count') {
      fields.push({ name, make: sum, evaluate: () => new Int32(1) });
      continue;
    }
    const make = ACCUMULATORS[op] as AccumulatorFactory | undefined;
    if (!make) return null;
    fields.push({ name, make, evaluate: compileExpression(accumulator[op], variables) });
  }
  const groupKey = compileExpression(spec._id, variables);
  return (docs) => {
    const groups = new Map<string, { id: unknown; accumulators: Accumulator[] }>();
    for (const doc of docs) {
      const raw = groupKey(doc);
      const id = raw === MISSING ? null : raw;
      const key = valueKey(id);
      let group = groups.get(key);
      if (!group) {
        group = { id, accumulators: fields.map((f) => f.make()) };
        groups.set(key, group);
      }
      const { accumulators } = group;
      fields.forEach((field, i) => {
        accumulators[i].add(field.evaluate(doc));
      });
    }
    return [...groups.values()].map(({ id, accumulators }) => {
      const out: Doc = { _id: id };
      fields.forEach((field, i) => {
        setField(out, field.name, accumulators[i].result());
      });
      return out;
    });
  };
}
