import { ApiSchema } from '@nestjs/swagger';

export interface ApiSchemaRules {
  readonly description?: string;
  /** Fewest fields the body must have: 1 for a PATCH that refuses an empty change. */
  readonly minProperties?: number;
  /** Most fields the body may have: with minProperties, "exactly one of" optional fields. */
  readonly maxProperties?: number;
}

/**
 * Rules of a DTO's schema as a whole. @ApiSchema merges every option but `name` into the schema
 * (its type names only `description`); the OpenAPI contract suite checks the result.
 */
export function ApiSchemaRules(rules: ApiSchemaRules): ClassDecorator {
  return ApiSchema(rules);
}
