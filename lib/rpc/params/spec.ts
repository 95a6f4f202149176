/**
 * The types behind the parameter declaration DSL: what a declared parameter is at run time
 * ({@link ParamDef}) and what TypeScript infers from it ({@link InferParams}).
 *
 * A declaration is a plain object mapping wire names to parameter specs built with `p.*`:
 *
 * ```ts
 * const decl = { RegionId: p.string({ required: true }), PageSize: p.integer({ default: 10 }) };
 * type Params = InferParams<typeof decl>; // { RegionId: string; PageSize: number }
 * ```
 */
import type { z } from 'zod';

/**
 * How a parameter may be absent: `required` (absent → MissingParameter), `optional` (absent →
 * `undefined`) or `defaulted` (absent → the declared default).
 */
export type Presence = 'required' | 'optional' | 'defaulted';

/** Options every parameter accepts. */
export interface CommonOptions {
  /** The parameter must be present. Exclusive with `default`. */
  readonly required?: boolean;
  /** Free text, passed through by `describeParams`. */
  readonly description?: string;
}

/** Run-time definition of a `string` parameter. Lengths count Unicode code points (zod's rule): `😀` is one character. */
export interface StringDef {
  readonly kind: 'string';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: RegExp;
  readonly enum?: readonly string[];
  readonly default?: string;
}

/** Run-time definition of an `integer` parameter (a 32-bit signed integer unless `min`/`max` say otherwise). */
export interface IntegerDef {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default?: number;
}

/** Run-time definition of a `long` parameter (64-bit, delivered as `bigint`). */
export interface LongDef {
  readonly kind: 'long';
  readonly min: bigint;
  readonly max: bigint;
  readonly default?: bigint;
}

/** Run-time definition of a `float` parameter (a finite JavaScript number). */
export interface FloatDef {
  readonly kind: 'float';
  readonly min?: number;
  readonly max?: number;
  readonly default?: number;
}

/** Run-time definition of a `boolean` parameter (exactly `true` or `false` on the wire). */
export interface BooleanDef {
  readonly kind: 'boolean';
  readonly default?: boolean;
}

/** Run-time definition of an `enum` parameter (one of a fixed set of strings, case-sensitive). */
export interface EnumDef {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly default?: string;
}

/** Run-time definition of a JSON-string parameter: the wire value is JSON text, parsed then validated by `schema`. */
export interface JsonDef {
  readonly kind: 'json';
  readonly schema: z.ZodType;
  /** Most UTF-16 code units of JSON text accepted before parsing. */
  readonly maxLength?: number;
}

/** Run-time definition of a repeat list `Name.1`, `Name.2`, … */
export interface ListDef {
  readonly kind: 'list';
  readonly item: ParamSpec<unknown, Presence>;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** Run-time definition of a struct `Name.Field`. */
export interface StructDef {
  readonly kind: 'struct';
  readonly fields: Declaration;
}

/** Every run-time parameter definition. */
export type ParamDef = StringDef | IntegerDef | LongDef | FloatDef | BooleanDef | EnumDef | JsonDef | ListDef | StructDef;

/** Every parameter kind. */
export type ParamKind = ParamDef['kind'];

/**
 * One declared parameter. `T` is the handler-side type, `P` its presence. Build it with `p.*`,
 * never by hand.
 */
export interface ParamSpec<T, P extends Presence> {
  readonly def: ParamDef;
  readonly presence: P;
  readonly description?: string;
  /** Phantom marker carrying `T` for type inference; never set at run time. */
  readonly '~type'?: T;
}

/** A declaration: wire names (no dots) to parameter specs, in the order problems are reported. */
export interface Declaration {
  readonly [name: string]: ParamSpec<unknown, Presence>;
}

/** The handler-side type of one spec. */
export type InferSpec<S> = S extends ParamSpec<infer T, Presence> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type RequiredKeys<D extends Declaration> = {
  [K in keyof D]: D[K]['presence'] extends 'optional' ? never : K;
}[keyof D];

type OptionalKeys<D extends Declaration> = {
  [K in keyof D]: D[K]['presence'] extends 'optional' ? K : never;
}[keyof D];

/**
 * The parameter object a handler receives for a declaration: required and defaulted parameters
 * are non-optional, optional ones are `?: T | undefined`.
 *
 * @example
 * const decl = { InstanceId: p.list(p.string(), { required: true }), DryRun: p.boolean() };
 * type Params = InferParams<typeof decl>; // { InstanceId: string[]; DryRun?: boolean | undefined }
 */
export type InferParams<D extends Declaration> = Simplify<
  { -readonly [K in RequiredKeys<D>]: InferSpec<D[K]> } & { -readonly [K in OptionalKeys<D>]?: InferSpec<D[K]> | undefined }
>;

/** Presence from a builder's options: `required: true` wins, then a `default`, else optional. */
export type PresenceOf<O> = O extends { readonly required: true }
  ? 'required'
  : O extends { readonly default: unknown }
    ? 'defaulted'
    : 'optional';

/** Flat wire parameters as the envelope exposes them: a repeated name gives an array. */
export type FlatParams = Readonly<Record<string, string | readonly string[]>>;

/** What went wrong with one parameter; `name` is always a wire name such as `Tag.3.Key`. */
export interface ParamIssue {
  /** `missing` → MissingParameter, `invalid` → InvalidParameter, `unsupported` → UnsupportedParameter. */
  readonly kind: 'missing' | 'invalid' | 'unsupported';
  readonly name: string;
  /** Short English reason, safe to show (never echoes the value). */
  readonly reason: string;
}

/** Result of `parseParams`. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issue: ParamIssue };
