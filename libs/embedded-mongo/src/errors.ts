/** MongoDB server error codes this store answers with, by their official names. */
export const ErrorCode = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  NotSingleValueField: 54,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  CannotIndexParallelArrays: 171,
  QueryPlanKilled: 175,
  AmbiguousIndexKeyPattern: 181,
  InvalidIndexSpecificationOption: 197,
  Location10334: 10334,
  DuplicateKey: 11000,
  Location15958: 15958,
  Location17419: 17419,
  Location31002: 31002,
  Location31254: 31254,
  Location31271: 31271,
  Location31276: 31276,
  Location31325: 31325,
  Location40066: 40066,
  Location40156: 40156,
  Location40157: 40157,
  Location40158: 40158,
  Location40159: 40159,
  Location40160: 40160,
  Location40192: 40192,
  Location40193: 40193,
  Location40194: 40194,
  Location40196: 40196,
  Location40201: 40201,
  Location40272: 40272,
  Location40324: 40324,
  Location40415: 40415,
  Location40600: 40600,
  Location51246: 51246,
} as const;

const codeNames = new Map<number, string>(
  Object.entries(ErrorCode).map(([name, code]) => [code, name]),
);

/** A command failure answered to the client as `{ ok: 0, errmsg, code, codeName, ...extra }`. */
export class MongoCommandError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get codeName(): string {
    return codeNames.get(this.code) ?? 'UnknownError';
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

export function badValue(message: string): MongoCommandError {
  return new MongoCommandError(ErrorCode.BadValue, message);
}

/** Answer for features this store deliberately leaves out. */
export function notSupported(feature: string): MongoCommandError {
  return new MongoCommandError(
    ErrorCode.CommandNotSupported,
    `${feature} is not supported by the embedded MongoDB-compatible store; set MONGO_URL to use a real MongoDB`,
  );
}
