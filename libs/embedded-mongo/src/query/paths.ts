import { Doc, isPlainObject, MISSING, ownField, setField } from '../bson/values';

export function isArrayIndex(part: string): boolean {
  return /^(0|[1-9]\d*)$/.test(part);
}

/**
 * Every value a dotted path reaches in a document, the way MongoDB's matcher walks it: through
 * arrays of documents implicitly, into an array by position when a part is numeric, and
 * MISSING where a branch has no such field. Leaf arrays are returned whole (callers expand them).
 */
export function collectLeaves(doc: unknown, parts: readonly string[]): unknown[] {
  const out: unknown[] = [];
  walk(doc, parts, 0, out);
  return out;
}

function walk(value: unknown, parts: readonly string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(value);
    return;
  }
  const part = parts[i];
  if (Array.isArray(value)) {
    if (isArrayIndex(part)) {
      const index = Number(part);
      if (index < value.length) walk(value[index], parts, i + 1, out);
    }
    for (const element of value) {
      if (isPlainObject(element)) walk(element, parts, i, out);
    }
    return;
  }
  if (isPlainObject(value)) {
    walk(Object.hasOwn(value, part) ? value[part] : MISSING, parts, i + 1, out);
    return;
  }
  out.push(MISSING);
}

/** The value at a path without implicit array traversal (positional parts only). */
export function getPath(doc: unknown, parts: readonly string[]): unknown {
  let current: unknown = doc;
  for (const part of parts) {
    if (Array.isArray(current) && isArrayIndex(part)) {
      const index = Number(part);
      current = index < current.length ? current[index] : MISSING;
    } else if (isPlainObject(current) && Object.hasOwn(current, part)) {
      current = current[part];
    } else {
      return MISSING;
    }
  }
  return current;
}

/**
 * A copy of a document in which the value at a concrete path (numeric parts index arrays) is
 * replaced; only the containers along the path are copied. Used for positional lookups.
 */
export function withValueAt(container: unknown, parts: readonly string[], value: unknown): unknown {
  if (parts.length === 0) return value;
  const [head, ...rest] = parts;
  if (Array.isArray(container) && isArrayIndex(head)) {
    const copy: unknown[] = [...(container as unknown[])];
    copy[Number(head)] = withValueAt(copy[Number(head)], rest, value);
    return copy;
  }
  if (isPlainObject(container)) {
    const copy: Doc = { ...container };
    setField(copy, head, withValueAt(ownField(container, head), rest, value));
    return copy;
  }
  return container;
}

export function splitPath(path: string): string[] {
  return path.split('.');
}
