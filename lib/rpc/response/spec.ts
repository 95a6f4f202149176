/**
 * How an action declares what it returns: a record of fields, each built with `p.*` (as parameters
 * are) or a zod schema, or one zod object schema. TypeScript checks a handler's return against it
 * ({@link InferResponse}).
 *
 * ```ts
 * response: {
 *   TotalCount: p.integer({ required: true }),
 *   Instances: z.object({ Instance: z.array(z.object({ InstanceId: z.string(), CreationTime: z.date() })) }),
 * }
 * ```
 */
import type { z } from 'zod';
import type { ParamSpec, Presence } from '../params/spec.js';

/** One declared response field: a `p.*` spec or a zod schema. */
export type ResponseField = ParamSpec<unknown, Presence> | z.ZodType;

/** A record of response fields, in the order they are rendered. */
export interface ResponseFields {
  readonly [name: string]: ResponseField;
}

/** A response declaration: a record of fields, or one zod object schema. */
export type ResponseDeclaration = ResponseFields | z.ZodObject;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The handler-side type of one field (what the handler may return for it). */
export type InferResponseField<F> = F extends z.ZodType ? z.input<F> : F extends ParamSpec<infer T, Presence> ? T : never;

type IsOptional<F> = F extends z.ZodType
  ? undefined extends z.input<F>
    ? true
    : false
  : F extends ParamSpec<unknown, infer P>
    ? P extends 'optional'
      ? true
      : false
    : false;

type RequiredFields<R> = { [K in keyof R]: IsOptional<R[K]> extends true ? never : K }[keyof R];
type OptionalFields<R> = { [K in keyof R]: IsOptional<R[K]> extends true ? K : never }[keyof R];

/**
 * The data a handler returns for a response declaration: `required` `p.*` fields and non-optional
 * zod fields must be present; an optional field may be absent or `undefined` (not `null`: JSON
 * would write it, XML would not).
 *
 * @example
 * const response = { InstanceId: p.string({ required: true }), Note: p.string() };
 * type Data = InferResponse<typeof response>; // { InstanceId: string; Note?: string | undefined }
 */
export type InferResponse<R> = R extends z.ZodObject
  ? z.input<R>
  : Simplify<
      { -readonly [K in RequiredFields<R>]: InferResponseField<R[K]> } & {
        -readonly [K in OptionalFields<R>]?: InferResponseField<R[K]> | undefined;
      }
    >;

/**
 * What a handler may return: nothing when no response is declared or the declaration has no
 * required field, else the declared data (or a promise of it).
 */
export type ActionHandlerResult<R> = [R] extends [undefined]
  ? unknown
  : R extends z.ZodObject
    ? z.input<R> | PromiseLike<z.input<R>>
    : [RequiredFields<R>] extends [never]
      ? InferResponse<R> | void | PromiseLike<InferResponse<R> | void>
      : InferResponse<R> | PromiseLike<InferResponse<R>>;
