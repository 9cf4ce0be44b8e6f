import { toDouble } from '../bson/numbers';
import {
  Doc,
  isArray,
  isNumeric,
  isPlainObject,
  MISSING,
  ownField,
  setField,
} from '../bson/values';
import { badValue, ErrorCode, MongoCommandError, notSupported } from '../errors';
import { compileExpression, type Evaluator } from './expression';
import { elemMatchTest } from './matcher';
import { getPath, splitPath } from './paths';
import { firstArrayAlong, matchedPosition } from './positional';
import { setDotted } from './update-paths';

type Projector = (doc: Doc) => Doc;
/** A projection path tree: true at included/excluded leaves, nested trees below. */
interface Tree {
  [field: string]: Tree | true | undefined;
}

interface Special {
  parts: string[];
  apply: (value: unknown) => unknown;
}

/**
 * A copy of value with fn applied at a path; arrays along the path are entered one level deep
 * (their document elements), as MongoDB applies $slice and $elemMatch projections.
 */
function applyAt(value: unknown, parts: string[], fn: (v: unknown) => unknown): unknown {
  if (isArray(value)) return value.map((e) => (isPlainObject(e) ? applyAt(e, parts, fn) : e));
  if (!isPlainObject(value) || !Object.hasOwn(value, parts[0])) return value;
  const [head, ...rest] = parts;
  const next = rest.length === 0 ? fn(value[head]) : applyNested(value[head], rest, fn);
  const copy = { ...value };
  if (next === MISSING) Reflect.deleteProperty(copy, head);
  else setField(copy, head, next);
  return copy;
}

function applyNested(value: unknown, parts: string[], fn: (v: unknown) => unknown): unknown {
  if (isArray(value)) return value.map((e) => (isPlainObject(e) ? applyAt(e, parts, fn) : e));
  return applyAt(value, parts, fn);
}

/** The projection failures' entries in the code table, by what they mean here. */
const Code = {
  PositionalWithSlice: ErrorCode.Location31271,
  PositionalWithExclusion: ErrorCode.Location31254,
  TwoPositionals: ErrorCode.Location31276,
  PositionalNoMatch: ErrorCode.Location51246,
  UnknownOperator: ErrorCode.Location31325,
};

/** A projection tree: null prototype, so a field named like an Object method is no node. */
function newTree(): Tree {
  return Object.create(null) as Tree;
}

function addPath(tree: Tree, parts: string[]): void {
  let node = tree;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]];
    if (next === true) return;
    node = next ?? (node[parts[i]] = newTree());
  }
  node[parts[parts.length - 1]] = true;
}

function treeOf(parts: string[]): Tree {
  const tree = newTree();
  addPath(tree, parts);
  return tree;
}

function truthy(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (isNumeric(value)) return toDouble(value) !== 0;
  return undefined;
}

function include(value: unknown, tree: Tree): unknown {
  if (isArray(value)) {
    return value.filter((v) => isPlainObject(v) || isArray(v)).map((v) => include(v, tree));
  }
  if (!isPlainObject(value)) return undefined;
  const out: Doc = {};
  for (const key of Object.keys(value)) {
    const node = tree[key];
    if (node === undefined) continue;
    if (node === true) {
      setField(out, key, value[key]);
    } else {
      const sub = include(value[key], node);
      if (sub !== undefined) setField(out, key, sub);
    }
  }
  return out;
}

function exclude(value: unknown, tree: Tree): unknown {
  if (isArray(value)) return value.map((v) => exclude(v, tree));
  if (!isPlainObject(value)) return value;
  const out: Doc = {};
  for (const key of Object.keys(value)) {
    const node = tree[key];
    if (node === true) continue;
    setField(out, key, node === undefined ? value[key] : exclude(value[key], node));
  }
  return out;
}

function setTop(doc: Doc, parts: string[], value: unknown): void {
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = ownField(node, parts[i]);
    if (!isPlainObject(next)) return;
    node = next;
  }
  const last = parts[parts.length - 1];
  if (value === undefined) Reflect.deleteProperty(node, last);
  else setField(node, last, value);
}

function sliceSpec(arg: unknown): (value: unknown) => unknown {
  const nums = (isArray(arg) ? arg : [arg]).map((n: unknown) => {
    if (!isNumeric(n)) throw badValue('$slice only supports numbers and [skip, limit] arrays');
    return Math.trunc(toDouble(n));
  });
  return (value) => {
    if (!isArray(value)) return value;
    if (nums.length === 1) {
      const [n] = nums;
      return n >= 0 ? value.slice(0, n) : value.slice(Math.max(value.length + n, 0));
    }
    const [skip, limit] = nums;
    if (limit <= 0) throw badValue('$slice limit must be positive');
    const start = skip >= 0 ? skip : Math.max(value.length + skip, 0);
    return value.slice(start, start + limit);
  };
}

/** A computed field: an aggregation expression; an unknown operator is 31325 as in MongoDB. */
function expressionOf(op: string, value: Doc): Evaluator {
  const evaluate = compileExpression(value);
  try {
    evaluate({});
  } catch {
    throw new MongoCommandError(Code.UnknownOperator, `Unknown projection operator ${op}`);
  }
  return evaluate;
}

/** Nested projection documents ({a: {b: 1}}) as dotted paths ({'a.b': 1}). */
function flatten(spec: Doc, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  for (const [key, value] of Object.entries(spec)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const nested = isPlainObject(value) && Object.keys(value).length > 0;
    if (nested && !Object.keys(value)[0].startsWith('$')) flatten(value, path, out);
    else out.push([path, value]);
  }
  return out;
}

function conflict(path: string, mode: string): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.Location31254,
    `Cannot do ${mode === 'inclusion' ? 'exclusion' : 'inclusion'} on field ${path} in ${mode} projection`,
  );
}

/**
 * The positional projection `path.$`: the first array along the path is cut down to the element
 * at the position the query matched (see matchedPosition).
 */
function positional(path: string, filter: Doc): (doc: Doc, out: Doc) => void {
  const parts = splitPath(path);
  return (doc, out) => {
    const prefix = firstArrayAlong(doc, parts, false);
    if (!prefix) return;
    const array = getPath(doc, prefix) as unknown[];
    const position = matchedPosition(doc, filter);
    if (position === undefined || position >= array.length) {
      throw new MongoCommandError(
        Code.PositionalNoMatch,
        "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
      );
    }
    const rest = parts.slice(prefix.length);
    const element = rest.length ? include(array[position], treeOf(rest)) : array[position];
    setTop(out, prefix, element === undefined ? [] : [element]);
  };
}

/**
 * Compiles a find projection: inclusion or exclusion of paths, `$slice`, `$elemMatch`, and the
 * positional `field.$` (which needs the query filter).
 */
export function compileProjection(spec: unknown, filter: Doc = {}): Projector | null {
  if (spec === undefined || spec === null) return null;
  if (!isPlainObject(spec)) throw badValue('projection must be an object');
  const tree = newTree();
  const specials: Special[] = [];
  const sliced = new Set<string>();
  let mode: 'include' | 'exclude' | undefined;
  let idIncluded = true;
  let positionalPath: string | undefined;
  const computed: { parts: string[]; evaluate: Evaluator }[] = [];
  const want = (path: string, wanted: 'include' | 'exclude'): void => {
    if (mode && mode !== wanted)
      throw conflict(path, mode === 'include' ? 'inclusion' : 'exclusion');
    mode = wanted;
  };
  for (const [path, value] of flatten(spec)) {
    if (path.endsWith('.$')) {
      if (isPlainObject(value)) {
        throw new MongoCommandError(
          Code.PositionalWithSlice,
          'Cannot specify positional operator and $slice.',
        );
      }
      if (positionalPath !== undefined) {
        throw new MongoCommandError(
          Code.TwoPositionals,
          'Cannot specify more than one positional projection per query.',
        );
      }
      if (mode === 'exclude') {
        throw new MongoCommandError(
          Code.PositionalWithExclusion,
          `Cannot do inclusion on field ${path} in exclusion projection`,
        );
      }
      positionalPath = path.slice(0, -2);
      addPath(tree, splitPath(positionalPath));
      mode = 'include';
      continue;
    }
    if (isPlainObject(value)) {
      const [op] = Object.keys(value);
      const parts = splitPath(path);
      if (op === '$slice') {
        const slice = sliceSpec(value.$slice);
        sliced.add(path);
        specials.push({ parts, apply: slice });
      } else if (op === '$elemMatch') {
        const test = elemMatchTest(value.$elemMatch);
        specials.push({
          parts,
          apply: (v) => {
            const hit = isArray(v) ? v.findIndex(test) : -1;
            return hit >= 0 ? [(v as unknown[])[hit]] : MISSING;
          },
        });
        want(path, 'include');
        addPath(tree, parts);
      } else if (op === '$meta') {
        throw notSupported('$meta projection');
      } else {
        computed.push({ parts, evaluate: expressionOf(op, value) });
        want(path, 'include');
      }
      continue;
    }
    const flag = truthy(value);
    if (flag === undefined) {
      computed.push({ parts: splitPath(path), evaluate: compileExpression(value) });
      want(path, 'include');
      continue;
    }
    if (path === '_id') {
      idIncluded = flag;
      continue;
    }
    if (!flag && positionalPath !== undefined) {
      throw new MongoCommandError(
        Code.PositionalWithExclusion,
        `Cannot do exclusion on field ${path} in inclusion projection`,
      );
    }
    want(path, flag ? 'include' : 'exclude');
    addPath(tree, splitPath(path));
  }
  if (positionalPath !== undefined && sliced.has(positionalPath)) {
    throw new MongoCommandError(
      Code.PositionalWithSlice,
      'Cannot specify positional operator and $slice.',
    );
  }
  if (mode === undefined && idIncluded && Object.hasOwn(spec, '_id')) mode = 'include';
  if (mode === 'include') for (const path of sliced) addPath(tree, splitPath(path));
  if (mode === 'include' && idIncluded) tree._id = true;
  if (mode !== 'include' && !idIncluded) tree._id = true;
  const applyPositional =
    positionalPath === undefined ? undefined : positional(positionalPath, filter);
  return (doc) => {
    let out = (mode === 'include' ? include(doc, tree) : exclude(doc, tree)) as Doc;
    applyPositional?.(doc, out);
    for (const field of computed) {
      const value = field.evaluate(doc);
      if (value !== MISSING) setDotted(out, field.parts, value);
    }
    for (const special of specials) out = applyAt(out, special.parts, special.apply) as Doc;
    return out;
  };
}

/** True when the projection has a positional `field.$` part. */
export function hasPositional(spec: unknown): boolean {
  return isPlainObject(spec) && flatten(spec).some(([path]) => path.endsWith('.$'));
}
