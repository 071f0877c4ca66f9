import { errors, yup } from '@strapi/utils';
import { ERROR_CODES } from '../constants';

export interface FieldProblem {
  path: string[];
  message: string;
  name: 'ValidationError';
}

const problem = (path: string[], message: string): FieldProblem => ({ path, message, name: 'ValidationError' });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates untrusted input against an object schema, strictly (no coercion: "2" is not 2), and
 * throws Strapi's ValidationError (400, `details.code` = validation) naming every bad field,
 * unknown keys included. Anything else thrown from a controller would be a 500.
 */
export const parseOrThrow = <S extends yup.AnyObjectSchema>(schema: S, input: unknown, at: string[] = []): yup.InferType<S> => {
  if (!isPlainObject(input)) {
    throw new errors.ValidationError('Invalid input', {
      code: ERROR_CODES.validation,
      errors: [problem(at, 'must be an object')],
    });
  }
  const known = new Set(Object.keys(schema.fields));
  const problems = Object.keys(input)
    .filter((key) => !known.has(key))
    .map((key) => problem([...at, key], 'is not a known field'));
  try {
    schema.validateSync(input, { strict: true, abortEarly: false, stripUnknown: false });
  } catch (error) {
    if (!(error instanceof yup.ValidationError)) throw error;
    const inner = error.inner.length > 0 ? error.inner : [error];
    for (const e of inner) {
      if (e.type === 'noUnknown') continue;
      problems.push(problem([...at, ...(e.path ? e.path.split('.') : [])], e.message));
    }
  }
  if (problems.length > 0) {
    throw new errors.ValidationError('Invalid input', { code: ERROR_CODES.validation, errors: problems });
  }
  return input;
};

const ENVELOPE = yup.object({ data: yup.mixed().required() });

/** The `{ data: {...} }` envelope of a create request, validated with the inner schema. */
export const parseDataEnvelope = <S extends yup.AnyObjectSchema>(schema: S, body: unknown): yup.InferType<S> => {
  const envelope = parseOrThrow(ENVELOPE, body);
  return parseOrThrow(schema, envelope.data, ['data']);
};
