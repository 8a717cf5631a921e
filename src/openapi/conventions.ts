import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { PROBLEM_STATUSES, problemResponse } from './problems';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
/** Methods the idempotency interceptor honours an Idempotency-Key on. */
const IDEMPOTENT_METHODS = new Set(['post', 'patch', 'delete']);

const HEADERS = {
  'X-Request-Id': {
    description:
      'Identifies the request in logs and audit events; a well-formed incoming X-Request-Id is echoed',
    schema: { type: 'string' },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', minimum: 0 },
  },
  'Idempotent-Replayed': {
    description: '"true" when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};

const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the same client, key and body within 24 h get the first answer again, byte for byte; the same key with another body gets 422, and while the first is still running 409',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
};

const ref = (kind: string, name: string): ReferenceObject => ({ $ref: `#/components/${kind}/${name}` });

type Responses = Record<string, ResponseObject | ReferenceObject>;

/** The shared problem response of a status, under components.responses (`Problem400`, ...). */
const problemRef = (status: number) => ref('responses', `Problem${status}`);

/** Adds the shared problem response of `status` unless the route declares that status itself. */
function ensureProblem(responses: Responses, status: number): void {
  responses[status] ??= problemRef(status);
}

function withHeaders(response: ResponseObject, names: (keyof typeof HEADERS)[]): void {
  response.headers ??= {};
  for (const name of names) response.headers[name] ??= ref('headers', name);
}

/** An error status declared with a description only (Nest's ApiXResponse helpers) gets the problem schema. */
function describeProblems(responses: Responses): void {
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400 && !('$ref' in response) && !response.content) {
      responses[status] = { ...problemResponse(Number(status), response.description) };
    }
  }
}

/**
 * What is true of every route because of the middleware and guards rather than the route: the security of public
 * routes (none), the statuses the pipeline answers before a handler runs (400, 401, 403, 413, 415, 429, 431, 503, and the
 * idempotency answers), and the headers every response carries.
 */
function completeOperation(method: string, op: OperationObject): void {
  const responses = op.responses as Responses;
  const secured = (op.security?.length ?? 0) > 0;
  op.security ??= [];
  describeProblems(responses);
  if (secured) [401, 403].forEach((s) => ensureProblem(responses, s));
  if (op.parameters?.length || op.requestBody) ensureProblem(responses, 400);
  if (op.requestBody) [413, 415].forEach((s) => ensureProblem(responses, s));
  if (secured && IDEMPOTENT_METHODS.has(method)) {
    op.parameters = [...(op.parameters ?? []), ref('parameters', 'Idempotency-Key')];
    [400, 409, 422].forEach((s) => ensureProblem(responses, s));
  }
  [429, 431, 503].forEach((s) => ensureProblem(responses, s));
  for (const [status, response] of Object.entries(responses)) {
    if ('$ref' in response) continue;
    const names: (keyof typeof HEADERS)[] = ['X-Request-Id'];
    if (status === '429' || status === '503') names.push('Retry-After');
    if (secured && IDEMPOTENT_METHODS.has(method) && status.startsWith('2'))
      names.push('Idempotent-Replayed');
    withHeaders(response, names);
  }
}

/** The shared problem responses the operations refer to. */
function sharedProblems(document: OpenAPIObject): Record<string, ResponseObject> {
  const used = JSON.stringify(document.paths);
  return Object.fromEntries(
    PROBLEM_STATUSES.filter((status) => used.includes(`"${problemRef(status).$ref}"`)).map((status) => {
      const response: ResponseObject = problemResponse(status);
      withHeaders(
        response,
        status === 429 || status === 503 ? ['X-Request-Id', 'Retry-After'] : ['X-Request-Id'],
      );
      return [`Problem${status}`, response];
    }),
  );
}

/** Component schemas a request body reaches, through properties, items and compositions. */
function requestSchemas(document: OpenAPIObject): Set<string> {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const found = new Set<string>();
  const visit = (schema: SchemaObject | ReferenceObject | undefined): void => {
    if (!schema) return;
    if ('$ref' in schema) {
      const name = schema.$ref.split('/').pop() as string;
      if (found.has(name)) return;
      found.add(name);
      return visit(schemas[name]);
    }
    Object.values(schema.properties ?? {}).forEach(visit);
    visit(schema.items);
    [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].forEach(visit);
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const body = item[method]?.requestBody;
      if (!body || '$ref' in body) continue;
      Object.values(body.content).forEach((media) => visit(media.schema));
    }
  }
  return found;
}

/** Completes the generated document with the conventions above; request bodies refuse unknown properties. */
export function applyConventions(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.headers = { ...document.components.headers, ...HEADERS };
  document.components.parameters = {
    ...document.components.parameters,
    'Idempotency-Key': IDEMPOTENCY_KEY,
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) completeOperation(method, op);
    }
  }
  document.components.responses = { ...document.components.responses, ...sharedProblems(document) };
  const schemas = (document.components.schemas ?? {}) as Record<string, SchemaObject>;
  for (const name of requestSchemas(document)) {
    if (schemas[name]?.type === 'object' || schemas[name]?.properties)
      schemas[name].additionalProperties = false;
  }
  return document;
}
