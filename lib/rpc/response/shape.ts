/**
 * The compiled form of a response declaration: one tree for `p.*` and zod declarations alike, read
 * by the development-time check (check.ts), the sample generator (sample.ts), the reference model
 * (lib/reference) and the OpenAPI export (lib/openapi). Plain JSON (bigint bounds as strings).
 */

/** A scalar leaf. `datetime` is a `Date` in the handler, `YYYY-MM-DDThh:mm:ssZ` on the wire. */
export interface ScalarShape {
  readonly kind: 'string' | 'integer' | 'long' | 'float' | 'boolean' | 'datetime';
  readonly description?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Source of the declared RegExp. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly min?: number | string;
  readonly max?: number | string;
  /** A value to show in samples (zod `.meta({ examples })`). */
  readonly example?: string | number | boolean;
}

/** An object: named fields in declaration order. */
export interface StructShape {
  readonly kind: 'struct';
  readonly description?: string;
  readonly fields: readonly FieldShape[];
}

/** An array: repeated elements named by the field (XML) or a JSON array. */
export interface ListShape {
  readonly kind: 'list';
  readonly description?: string;
  readonly item: ResponseShape;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** Every node of a response tree. */
export type ResponseShape = ScalarShape | StructShape | ListShape;

/** One named field of a struct. */
export interface FieldShape {
  readonly name: string;
  /** Always present in the response (an optional field may be absent). */
  readonly required: boolean;
  readonly shape: ResponseShape;
}
