import { Doc, isPlainObject } from '../bson/values';
import { ErrorCode, MongoCommandError } from '../errors';

/** Fields any command may carry (sessions, concerns, API versioning, routing metadata). */
const GENERIC = new Set([
  '$db',
  'lsid',
  '$clusterTime',
  '$readPreference',
  '$client',
  '$audit',
  '$configTime',
  '$topologyTime',
  'readConcern',
  'writeConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'mayBypassWriteBlocking',
  'databaseVersion',
  'shardVersion',
]);

/** The fields MongoDB 7.0's command definitions (IDL) accept, for the commands checked here. */
const KNOWN: Record<string, string[]> = {
  find: [
    'find',
    'filter',
    'projection',
    'sort',
    'hint',
    'skip',
    'limit',
    'batchSize',
    'singleBatch',
    'let',
    'collation',
    'max',
    'min',
    'returnKey',
    'showRecordId',
    'tailable',
    'oplogReplay',
    'noCursorTimeout',
    'awaitData',
    'allowPartialResults',
    'allowDiskUse',
    'readOnce',
    'term',
    'ntoreturn',
    'runtimeConstants',
    'encryptionInformation',
    'includeQueryStatsMetrics',
    'requestResumeToken',
    '$_requestResumeToken',
    'resumeAfter',
    '$_resumeAfter',
  ],
  count: [
    'count',
    'query',
    'limit',
    'skip',
    'hint',
    'collation',
    'fields',
    'encryptionInformation',
  ],
  create: [
    'create',
    'capped',
    'size',
    'max',
    'autoIndexId',
    'idIndex',
    'validator',
    'validationLevel',
    'validationAction',
    'indexOptionDefaults',
    'viewOn',
    'pipeline',
    'collation',
    'storageEngine',
    'timeseries',
    'clusteredIndex',
    'expireAfterSeconds',
    'changeStreamPreAndPostImages',
    'encryptedFields',
    'recordIdsReplicated',
  ],
  drop: ['drop'],
  createIndexes: [
    'createIndexes',
    'indexes',
    'commitQuorum',
    'ignoreUnknownIndexOptions',
    'isTimeseriesNamespace',
    'returnOnStartedIndexBuild',
  ],
};

/** KNOWN as sets, looked up once per field of each command. */
const KNOWN_SETS = new Map(Object.entries(KNOWN).map(([name, fields]) => [name, new Set(fields)]));

const CURSOR_FIELDS = new Set(['batchSize']);

export function isGenericField(field: string): boolean {
  return GENERIC.has(field);
}

function unknownField(path: string): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.Location40415,
    `BSON field '${path}' is an unknown field.`,
  );
}

/** Refuses fields a command does not define, as MongoDB's command parser does (40415). */
export function checkKnownFields(name: string, command: Doc): void {
  const known = KNOWN_SETS.get(name);
  if (known) {
    for (const field of Object.keys(command)) {
      if (!known.has(field) && !GENERIC.has(field)) throw unknownField(`${name}.${field}`);
    }
  }
  if (isPlainObject(command.cursor)) {
    for (const field of Object.keys(command.cursor)) {
      if (!CURSOR_FIELDS.has(field)) throw unknownField(`${name}.cursor.${field}`);
    }
  }
}
