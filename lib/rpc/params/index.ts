/**
 * RPC business parameters: the declaration DSL (`p`), the typed parse (`parseParams`), the
 * un-flattening of `Name.N` / `Name.Field` wire names (`unflatten`), introspection
 * (`describeParams`) and a declaration as a zod schema (`toZod`).
 */
export { p } from './builders.js';
export type {
  BooleanOptions,
  EnumOptions,
  FloatOptions,
  IntegerOptions,
  JsonOptions,
  ListOptions,
  LongOptions,
  StringOptions,
  StructOptions,
} from './builders.js';
export { CompiledParams, compileParams } from './compile.js';
export type { CompileOptions, CompiledRoot } from './compile.js';
export { describeParams } from './describe.js';
export type { ParamDescription } from './describe.js';
export { listWireIndexes } from './list-builder.js';
export { hasOwnerIdAndOwnerAccount, OWNER_PARAMETERS } from './owner.js';
export { missingName, parseParams } from './parse.js';
export type { ParseOptions } from './parse.js';
export type {
  CommonOptions,
  Declaration,
  FlatParams,
  InferParams,
  InferSpec,
  ParamDef,
  ParamIssue,
  ParamKind,
  ParamSpec,
  ParseResult,
  Presence,
} from './spec.js';
export { toZod } from './to-zod.js';
export { unflatten } from './unflatten.js';
export type { ParamTree, UnflattenOptions, UnflattenResult } from './unflatten.js';
export {
  COMMON_PARAMETERS,
  DEFAULT_MAX_LIST_INDEX,
  FORBIDDEN_SEGMENTS,
  SILENTLY_ACCEPTED_PARAMETERS,
} from './wire-names.js';
