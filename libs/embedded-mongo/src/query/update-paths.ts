import { formatValue } from '../bson/format';
import { Doc, isPlainObject, MISSING, setField } from '../bson/values';
import { ErrorCode, MongoCommandError } from '../errors';
import { isArrayIndex } from './paths';

export type Container = Doc | unknown[];

export interface Slot {
  container: Container;
  key: string;
}

export function getChild(node: Container, key: string): unknown {
  if (Array.isArray(node)) {
    if (!isArrayIndex(key)) return MISSING;
    const index = Number(key);
    return index < node.length ? node[index] : MISSING;
  }
  return Object.hasOwn(node, key) ? node[key] : MISSING;
}

function pathNotViable(key: string, parentKey: string, parent: unknown): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.PathNotViable,
    `Cannot create field '${key}' in element {${parentKey}: ${formatValue(parent)}}`,
  );
}

export function setChild(node: Container, key: string, value: unknown, parentKey = ''): void {
  if (Array.isArray(node)) {
    if (!isArrayIndex(key)) throw pathNotViable(key, parentKey, node);
    const index = Number(key);
    while (node.length < index) node.push(null);
    node[index] = value;
    return;
  }
  setField(node, key, value);
}

export function removeChild(node: Container, key: string): void {
  if (Array.isArray(node)) {
    if (isArrayIndex(key) && Number(key) < node.length) node[Number(key)] = null;
    return;
  }
  Reflect.deleteProperty(node, key);
}

/**
 * The container holding the last part of a concrete path. With `create`, missing intermediate
 * documents are made (and a scalar in the way is an error); without, a missing one gives null.
 */
export function resolveSlot(
  root: Doc,
  parts: readonly string[],
  create: boolean,
  strict = false,
): Slot | null {
  let node: Container = root;
  let nodeKey = '';
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i];
    const child = getChild(node, part);
    if (isPlainObject(child) || Array.isArray(child)) {
      if (strict && Array.isArray(child) && !isArrayIndex(parts[i + 1])) {
        throw cannotTraverse(parts, i + 1, part, child);
      }
      node = child;
    } else if (child === MISSING) {
      if (!create) return null;
      const made: Doc = {};
      setChild(node, part, made, nodeKey);
      node = made;
    } else {
      if (strict) throw cannotTraverse(parts, i + 1, part, child);
      if (!create) return null;
      throw pathNotViable(parts[i + 1], part, child);
    }
    nodeKey = part;
  }
  if (create && Array.isArray(node) && !isArrayIndex(parts[parts.length - 1])) {
    throw pathNotViable(parts[parts.length - 1], nodeKey, node);
  }
  return { container: node, key: parts[parts.length - 1] };
}

function cannotTraverse(
  parts: readonly string[],
  i: number,
  key: string,
  value: unknown,
): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.PathNotViable,
    `Cannot use the part (${parts[i]}) of (${parts.join('.')}) to traverse the element ({${key}: ${formatValue(value)}})`,
  );
}

/** Sets a dotted path in a plain document, making intermediate documents (upsert seeds). */
export function setDotted(doc: Doc, parts: readonly string[], value: unknown): void {
  const slot = resolveSlot(doc, parts, true);
  if (slot) setChild(slot.container, slot.key, value);
}
