import { Long } from 'bson';
import { cloneValue, Doc, isArray, isPlainObject, MISSING, setField } from '../bson/values';
import { badValue } from '../errors';
import { getPath, splitPath } from './paths';
import { removeChild, resolveSlot, setChild } from './update-paths';

interface UnwindSpec {
  parts: string[];
  includeArrayIndex?: string;
  preserveNullAndEmptyArrays: boolean;
}

function fieldPath(value: unknown): string[] {
  if (typeof value !== 'string' || !value.startsWith('$') || value.length < 2) {
    throw badValue('$unwind path must be a field path prefixed with $');
  }
  return splitPath(value.slice(1));
}

function parseUnwind(arg: unknown): UnwindSpec {
  if (!isPlainObject(arg)) return { parts: fieldPath(arg), preserveNullAndEmptyArrays: false };
  const index = arg.includeArrayIndex;
  if (index !== undefined && (typeof index !== 'string' || index === '' || index.startsWith('$'))) {
    throw badValue('includeArrayIndex must be a non-empty string not starting with $');
  }
  return {
    parts: fieldPath(arg.path),
    includeArrayIndex: index,
    preserveNullAndEmptyArrays: arg.preserveNullAndEmptyArrays === true,
  };
}

function withValue(
  doc: Doc,
  parts: string[],
  value: unknown,
  spec: UnwindSpec,
  index: unknown,
): Doc {
  const out = cloneValue(doc);
  const slot = resolveSlot(out, parts, value !== MISSING);
  if (slot) {
    if (value === MISSING) removeChild(slot.container, slot.key);
    else setChild(slot.container, slot.key, value);
  }
  if (spec.includeArrayIndex) setField(out, spec.includeArrayIndex, index);
  return out;
}

/** `$unwind`: one document per array element; the index, when asked for, is an int64. */
export function unwind(docs: Doc[], arg: unknown): Doc[] {
  const spec = parseUnwind(arg);
  return docs.flatMap((doc) => {
    const value = getPath(doc, spec.parts);
    if (isArray(value) && value.length > 0) {
      return value.map((element, i) => withValue(doc, spec.parts, element, spec, Long.fromInt(i)));
    }
    if (!isArray(value) && value !== MISSING && value !== null) {
      return [withValue(doc, spec.parts, value, spec, null)];
    }
    if (!spec.preserveNullAndEmptyArrays) return [];
    return [withValue(doc, spec.parts, isArray(value) ? MISSING : value, spec, null)];
  });
}
