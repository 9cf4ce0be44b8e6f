import { toDouble } from '../bson/numbers';
import { Doc, isArray, isNumeric, isPlainObject } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError, notSupported } from '../errors';
import { compileFilter, Predicate } from './matcher';
import { getPath, splitPath } from './paths';
import { positionalIndex } from './positional';

type Projector = (doc: Doc) => Doc;
/** A projection path tree: true at included/excluded leaves, nested trees below. */
interface Tree {
  [field: string]: Tree | true | undefined;
}

interface Special {
  parts: string[];
  apply: (value: unknown, doc: Doc) => unknown;
}

function addPath(tree: Tree, parts: string[]): void {
  let node = tree;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]];
    if (next === true) return;
    node = next ?? (node[parts[i]] = {});
  }
  node[parts[parts.length - 1]] = true;
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
      out[key] = value[key];
    } else {
      const sub = include(value[key], node);
      if (sub !== undefined) out[key] = sub;
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
    out[key] = node === undefined ? value[key] : exclude(value[key], node);
  }
  return out;
}

function setTop(doc: Doc, parts: string[], value: unknown): void {
  let node = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]];
    if (!isPlainObject(next)) return;
    node = next;
  }
  const last = parts[parts.length - 1];
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
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

/**
 * Compiles a find projection: inclusion or exclusion of paths, `$slice`, `$elemMatch`, and the
 * positional `field.$` (which needs the query filter).
 */
export function compileProjection(spec: unknown, filter?: Doc): Projector | null {
  if (spec === undefined || spec === null) return null;
  if (!isPlainObject(spec)) throw badValue('projection must be an object');
  const tree: Tree = {};
  const specials: Special[] = [];
  let mode: 'include' | 'exclude' | undefined;
  let idIncluded = true;
  let filterPredicate: Predicate | undefined;
  for (const [path, value] of Object.entries(spec)) {
    if (path.endsWith('.$')) {
      const parts = splitPath(path.slice(0, -2));
      filterPredicate ??= compileFilter(filter ?? {});
      const predicate = filterPredicate;
      specials.push({
        parts,
        apply: (array, doc) => {
          const index = positionalIndex(doc, parts, predicate);
          if (!isArray(array) || index === undefined) {
            throw new MongoCommandError(
              ErrorCode.Location51270,
              'Executor error during find command :: caused by :: positional operator ' +
                `'${path}' requires a matching array element in the query`,
            );
          }
          return [array[index]];
        },
      });
      addPath(tree, parts);
      mode ??= 'include';
      continue;
    }
    if (isPlainObject(value) && Object.keys(value).length === 1) {
      const [op] = Object.keys(value);
      const parts = splitPath(path);
      if (op === '$slice') {
        const slice = sliceSpec(value.$slice);
        specials.push({ parts, apply: (v) => slice(v) });
        continue;
      }
      if (op === '$elemMatch') {
        const predicate = compileFilter(value.$elemMatch);
        specials.push({
          parts,
          apply: (v) => {
            const hit = isArray(v) ? v.find((e) => isPlainObject(e) && predicate(e)) : undefined;
            return hit === undefined ? undefined : [hit];
          },
        });
        if (mode === 'exclude') throw conflict(path, 'exclusion');
        addPath(tree, parts);
        mode = 'include';
        continue;
      }
      throw notSupported(`projection operator ${op}`);
    }
    const flag = truthy(value);
    if (flag === undefined) throw notSupported('projection expressions');
    if (path === '_id') {
      idIncluded = flag;
      continue;
    }
    const wanted = flag ? 'include' : 'exclude';
    if (mode && mode !== wanted)
      throw conflict(path, mode === 'include' ? 'inclusion' : 'exclusion');
    mode = wanted;
    addPath(tree, splitPath(path));
  }
  if (mode === 'include' && idIncluded) tree._id = true;
  if (mode !== 'include' && !idIncluded) tree._id = true;
  return (doc) => {
    const out = (mode === 'include' ? include(doc, tree) : exclude(doc, tree)) as Doc;
    for (const special of specials) {
      const current = getPath(doc, special.parts);
      if (current === undefined || typeof current === 'symbol') continue;
      setTop(out, special.parts, special.apply(current, doc));
    }
    return out;
  };
}

function conflict(path: string, mode: string): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.Location31254,
    `Cannot do ${mode === 'inclusion' ? 'exclusion' : 'inclusion'} on field ${path} in ${mode} projection`,
  );
}
