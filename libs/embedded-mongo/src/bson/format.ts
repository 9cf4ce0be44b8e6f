import { Binary, Code, ObjectId, Timestamp } from 'bson';
import { asDocument, bsonTypeName, regexOf, stringValue } from './values';

/** Renders a value the way MongoDB's server messages do, e.g. `{ email: "a@x.io" }`. */
export function formatValue(value: unknown): string {
  switch (bsonTypeName(value)) {
    case 'null':
    case 'missing':
      return 'null';
    case 'string':
    case 'symbol':
      return JSON.stringify(stringValue(value));
    case 'int':
    case 'long':
    case 'decimal':
      return String(value);
    case 'double': {
      const d = Number(value);
      return Number.isInteger(d) ? d.toFixed(1) : String(d);
    }
    case 'bool':
      return String(value);
    case 'date':
      return `new Date(${(value as Date).getTime()})`;
    case 'objectId':
      return `ObjectId('${(value as ObjectId).toHexString()}')`;
    case 'binData': {
      const bin = value as Binary;
      return `BinData(${bin.sub_type}, ${Buffer.from(bin.value()).toString('hex').toUpperCase()})`;
    }
    case 'timestamp': {
      const ts = value as Timestamp;
      return `Timestamp(${ts.t}, ${ts.i})`;
    }
    case 'regex': {
      const { pattern, options } = regexOf(value as RegExp);
      return `/${pattern}/${options}`;
    }
    case 'javascript':
      return (value as Code).code;
    case 'minKey':
      return 'MinKey';
    case 'maxKey':
      return 'MaxKey';
    case 'array': {
      const items = (value as unknown[]).map(formatValue);
      return items.length ? `[ ${items.join(', ')} ]` : '[]';
    }
    default: {
      const doc = asDocument(value) ?? {};
      const fields = Object.entries(doc).map(([k, v]) => `${k}: ${formatValue(v)}`);
      return fields.length ? `{ ${fields.join(', ')} }` : '{}';
    }
  }
}
