import type { INestApplication } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import { appendFileSync } from 'node:fs';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import request from 'supertest';
import { openApiDocument } from '../../src/openapi/document';

type Doc = ReturnType<typeof openApiDocument>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document walked by key
type Json = Record<string, any>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A pointer segment as RFC 6901 escapes it. */
const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks responses against the OpenAPI document the code declares: the operation of the method and path, the status
 * among its responses, the media type among that response's content, and the body against its schema.
 */
export class ContractChecker {
  private readonly ajv: Ajv;
  private readonly routes: { method: string; template: string; pattern: RegExp }[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: Doc) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
    for (const [template, item] of Object.entries(document.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of METHODS)
        if ((item as Json)[method]) this.routes.push({ method, template, pattern });
    }
    // Literal paths before templated ones, so /v1/links/acknowledgements is not read as /v1/links/{id}.
    this.routes.sort((a, b) => a.template.split('{').length - b.template.split('{').length);
  }

  /** What is wrong with a response, or null. Paths the document does not know (an unknown route's 404) pass. */
  violation(
    method: string,
    url: string,
    res: Pick<Response, 'status' | 'headers' | 'body' | 'text'>,
  ): string | null {
    const path = new URL(url, 'http://x').pathname;
    const route = this.routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path));
    if (!route) return null;
    const op = (this.document.paths[route.template] as Json)[route.method] as Json;
    const name = `${method.toUpperCase()} ${route.template} → ${res.status}`;
    const status = String(res.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => op.responses[k]);
    if (!key) return `${name}: status not declared (declared: ${Object.keys(op.responses).join(', ')})`;
    const declared = op.responses[key] as Json;
    // A shared response (components.responses) is validated where it lives; an inline one under its operation.
    const at = declared.$ref
      ? `openapi${declared.$ref as string}`
      : `openapi#/paths/${escape(route.template)}/${route.method}/responses/${key}`;
    const response = declared.$ref ? this.resolve(declared.$ref as string) : declared;
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const content = response.content as Json | undefined;
    if (!content) {
      return type && res.text ? `${name}: a ${type} body where the document declares none` : null;
    }
    if (!content[type])
      return `${name}: media type ${type || '(none)'} not declared (declared: ${Object.keys(content).join(', ')})`;
    if (!/json/.test(type) || !content[type].schema) return null;
    const pointer = `${at}/content/${escape(type)}/schema`;
    const validate = this.validator(pointer);
    if (validate(res.body)) return null;
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map(
        (e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`,
      );
    return `${name}: body does not match the schema: ${errors.join('; ')}`;
  }

  private resolve(ref: string): Json {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<Json>(
        (node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')] as Json,
        this.document as Json,
      );
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(pointer);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

let checker: ContractChecker | undefined;

/** One checker per test file: the document is the same for every app the file builds. */
export function contractChecker(app: INestApplication): ContractChecker {
  return (checker ??= new ContractChecker(openApiDocument(app)));
}

/**
 * supertest on the app, with every response checked against the document: a response the document does not
 * describe fails the request's promise, so it fails the test that made it.
 */
export function checkedHttp(app: INestApplication): ReturnType<typeof request> {
  const http = request(app.getHttpServer() as Parameters<typeof request>[0]);
  const contract = contractChecker(app);
  return new Proxy(http, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (
        typeof property !== 'string' ||
        !(METHODS as readonly string[]).includes(property) ||
        typeof value !== 'function'
      ) {
        return value;
      }
      return (url: string) => {
        const test = (value as (url: string) => request.Test).call(target, url);
        return test.expect((res: Response) => {
          const problem = contract.violation(property, url, res);
          if (!problem) return;
          // CONTRACT_LOG=<file> records violations instead of failing: a census of what the document misses.
          if (process.env.CONTRACT_LOG) appendFileSync(process.env.CONTRACT_LOG, problem + '\n');
          else throw new Error(`response does not match openapi: ${problem}`);
        });
      };
    },
  });
}
