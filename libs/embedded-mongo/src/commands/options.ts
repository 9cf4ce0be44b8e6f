import { isPlainObject } from '../bson/values';
import { badValue, ErrorCode, MongoCommandError, notSupported } from '../errors';
import { Collection } from '../storage/collection';
import { defaultIndexName } from '../storage/index-spec';

/** A hint must name an existing index (by name or key pattern); it does not change the plan. */
export function checkHint(collection: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null) return;
  if (typeof hint !== 'string' && !isPlainObject(hint)) {
    throw new MongoCommandError(ErrorCode.FailedToParse, 'hint must be a string or an object');
  }
  if (!collection) return;
  if (isPlainObject(hint) && Object.keys(hint).length === 0) return;
  const name =
    typeof hint === 'string' ? hint : isPlainObject(hint) ? defaultIndexName(hint) : undefined;
  if (name === '$natural' || (isPlainObject(hint) && '$natural' in hint)) return;
  if (
    !collection
      .indexSpecs()
      .some((spec) => spec.name === name || defaultIndexName(spec.key) === name)
  ) {
    throw badValue('hint provided does not correspond to an existing index');
  }
}

/** Only the simple (binary) collation exists here. */
export function checkCollation(collation: unknown): void {
  if (collation === undefined || collation === null) return;
  if (
    isPlainObject(collation) &&
    (collation.locale === 'simple' || Object.keys(collation).length === 0)
  )
    return;
  throw notSupported('collation other than { locale: "simple" }');
}

/** The name of the index a hint names, if any (cursors die with it). */
export function hintedIndexName(
  collection: Collection | undefined,
  hint: unknown,
): string | undefined {
  if (!collection || hint === undefined || hint === null) return undefined;
  const name =
    typeof hint === 'string' ? hint : isPlainObject(hint) ? defaultIndexName(hint) : undefined;
  return collection
    .indexSpecs()
    .find((spec) => spec.name === name || defaultIndexName(spec.key) === name)?.name;
}
