import type { yup } from '@strapi/utils';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = { [key: string]: unknown };

interface TestDescription {
  name?: string;
  params?: Record<string, unknown>;
}
interface FieldDescription {
  type: string;
  oneOf: unknown[];
  tests: TestDescription[];
  /** An array's element. */
  innerType?: FieldDescription;
}
interface FieldSpec {
  spec?: { nullable?: boolean };
}

/** What yup's own checks say in JSON Schema words; tests written as functions are described by the caller. */
const fieldSchema = (description: FieldDescription, nullable: boolean, extra: JsonSchema = {}): JsonSchema => {
  const schema: JsonSchema = {};
  if (description.type === 'mixed' && description.oneOf.length > 0) {
    schema.enum = description.oneOf.filter((value) => value !== undefined);
  } else if (description.type === 'number') {
    schema.type = description.tests.some((t) => t.name === 'integer') ? 'integer' : 'number';
  } else {
    schema.type = description.type;
  }
  if (description.type === 'array' && description.innerType) {
    schema.items = fieldSchema(description.innerType, false);
    if (description.tests.some((t) => t.name === 'unique')) schema.uniqueItems = true;
  }
  for (const test of description.tests) {
    const params = test.params ?? {};
    if (test.name === 'max' && description.type === 'array') schema.maxItems = params.max;
    if (test.name === 'max' && description.type === 'string') schema.maxLength = params.max;
    if (test.name === 'min' && description.type === 'string') schema.minLength = params.min;
    if (test.name === 'max' && description.type === 'number') schema.maximum = params.max;
    if (test.name === 'min' && description.type === 'number') schema.minimum = params.min;
    if (test.name === 'matches' && params.regex instanceof RegExp) schema.pattern = params.regex.source;
  }
  if (nullable && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  return { ...schema, ...extra };
};

/**
 * The JSON Schema of a strict yup object schema of validation/: its fields, which are required,
 * no other key (parseOrThrow refuses unknown keys). `extra` adds what a test written as a
 * function checks (a name's rule, an e-mail), keyed by field.
 */
export const objectSchemaFromYup = (schema: yup.AnyObjectSchema, extra: Record<string, JsonSchema> = {}): JsonSchema => {
  const described = schema.describe() as unknown as { fields: Record<string, FieldDescription> };
  const fields = schema.fields as Record<string, FieldSpec>;
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, description] of Object.entries(described.fields)) {
    properties[name] = fieldSchema(description, fields[name]?.spec?.nullable === true, extra[name]);
    if (description.tests.some((t) => t.name === 'required')) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
};
