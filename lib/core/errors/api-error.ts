/**
 * `ApiError`: an error that renders as an Alibaba Cloud OpenAPI error envelope.
 *
 * The error is a small value (code, status, message, data, headers); turning it into bytes is
 * the renderer's job (lib/core/render). It is recognised by a `Symbol.for` brand, so an error
 * created by another installed copy of this package (or the ESM and CJS builds side by side)
 * still counts.
 */

const BRAND = Symbol.for('aliyun-openapi-middleware.ApiError');

/** Extra fields rendered after `Code`/`Message` (e.g. `AccessDeniedDetail`). */
export type ErrorData = Readonly<Record<string, unknown>>;

/** Options accepted by every ApiError constructor. */
export interface ApiErrorOptions<Data extends ErrorData = ErrorData> {
  /** Override the message. */
  message?: string;
  /** Override the HTTP status (400-599). */
  httpStatus?: number;
  /** Extra envelope fields, rendered after `Message`. */
  data?: Data;
  /** The underlying error, kept for logs; never rendered. */
  cause?: unknown;
  /** Extra response headers (e.g. `x-acs-retry-after`). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * An error with an OpenAPI code and HTTP status.
 *
 * @example
 * throw new ApiError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId does not exist.');
 */
export class ApiError<Data extends ErrorData = ErrorData> extends Error {
  /** The wire code, e.g. `InvalidParameter`. */
  readonly code: string;
  /** The HTTP status, 400-599. */
  readonly status: number;
  /** Extra envelope fields. */
  readonly data: Data | undefined;
  /** Extra response headers. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Always true: the message is meant for the client (koa / http-errors convention). */
  readonly expose = true;

  constructor(code: string, status: number, message: string, options: ApiErrorOptions<Data> = {}) {
    super(options.message ?? message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.status = validStatus(options.httpStatus ?? status);
    this.data = options.data;
    this.headers = options.headers;
  }

  /** Alias of `status` (node / express convention). */
  get statusCode(): number {
    return this.status;
  }
}

Object.defineProperty(ApiError.prototype, BRAND, { value: true });

function validStatus(status: number): number {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new RangeError(`ApiError status must be an integer from 400 to 599, got ${String(status)}`);
  }
  return status;
}

/** The structural view of an ApiError, valid across package copies. */
export interface ApiErrorLike {
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly data?: ErrorData | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * True for an ApiError from this or any other copy of the package.
 *
 * @example
 * try { await call(); } catch (err) { if (isApiError(err)) console.log(err.code, err.status); }
 */
export function isApiError(value: unknown): value is ApiErrorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as ApiErrorLike).code === 'string' &&
    typeof (value as ApiErrorLike).status === 'number'
  );
}

/** Names of `{placeholder}`s in a message template. */
export type Placeholders<S extends string> = S extends `${string}{${infer K}}${infer Rest}` ? K | Placeholders<Rest> : never;

/** Constructor options of a defined error: the common options plus the template's placeholders. */
export type DefinedErrorOptions<M extends string, Data extends ErrorData = ErrorData> = ApiErrorOptions<Data> & {
  [K in Placeholders<M>]?: string | number | bigint;
};

/** A class made by `defineError`. */
export interface DefinedErrorClass<M extends string = string> {
  new <Data extends ErrorData = ErrorData>(options?: DefinedErrorOptions<M, Data> | string): ApiError<Data>;
  /** The wire code. */
  readonly code: string;
  /** The default HTTP status. */
  readonly status: number;
  /** The message template. */
  readonly message: string;
}

/**
 * Fill `{name}` placeholders from `values`; a placeholder with no value is left as written.
 *
 * @example
 * fillTemplate('The "{parameter}" is bad.', { parameter: 'Tag.1.Key' }); // 'The "Tag.1.Key" is bad.'
 */
export function fillTemplate(template: string, values: Readonly<Record<string, unknown>>): string {
  if (!template.includes('{')) return template;
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, key: string) => {
    const value = Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined;
    return value === undefined || value === null ? whole : String(value);
  });
}

interface ClassSpec {
  readonly name: string;
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly parameterMessage?: string;
}

/** @internal Build the class for one catalogue row or defineError call. */
export function makeErrorClass<M extends string>(spec: ClassSpec): DefinedErrorClass<M> {
  const { code, status, message, parameterMessage } = spec;
  const cls = class extends ApiError {
    static readonly code = code;
    static readonly status = status;
    static readonly message = parameterMessage ?? message;
    constructor(options?: DefinedErrorOptions<M> | string) {
      const opts: Readonly<Record<string, unknown>> & ApiErrorOptions =
        typeof options === 'string' ? { parameter: options } : (options ?? {});
      const hasParameter = typeof opts.parameter === 'string' || typeof opts.parameter === 'number';
      const template = hasParameter && parameterMessage !== undefined ? parameterMessage : message;
      super(code, status, fillTemplate(template, opts), opts);
      this.name = spec.name;
    }
  };
  Object.defineProperty(cls, 'name', { value: spec.name });
  return cls as unknown as DefinedErrorClass<M>;
}

/**
 * Define an error class for a service's own code.
 *
 * The message may hold `{placeholders}`, filled from the constructor's options; a string argument
 * fills `{parameter}`.
 *
 * @example
 * const InstanceNotFound = defineError('InvalidInstanceId.NotFound', 404, 'The specified InstanceId does not exist.');
 * throw new InstanceNotFound();
 * const QuotaExceeded = defineError('QuotaExceeded', 400, 'The quota of {resource} is exceeded.');
 * throw new QuotaExceeded({ resource: 'instances' });
 */
export function defineError<M extends string>(code: string, httpStatus: number, message: M): DefinedErrorClass<M> {
  if (typeof code !== 'string' || code.length === 0 || code.length > 128 || /[\u0000-\u001f\u007f]/.test(code)) {
    throw new TypeError('defineError: code must be a non-empty printable string of at most 128 characters');
  }
  validStatus(httpStatus);
  const name = code.replace(/[^A-Za-z0-9_$]/g, '') || 'DefinedError';
  return makeErrorClass<M>({ name, code, status: httpStatus, message });
}

/**
 * True for an error class whose instances are ApiErrors (a catalogue class, a `defineError` class,
 * a subclass of ApiError from any copy of the package) and that states its `code` and `status`.
 *
 * @example
 * isApiErrorClass(errors.InvalidParameter); // true
 * isApiErrorClass(TypeError);               // false
 */
export function isApiErrorClass(value: unknown): value is DefinedErrorClass {
  if (typeof value !== 'function') return false;
  const proto = (value as { prototype?: unknown }).prototype;
  const cls = value as unknown as { code?: unknown; status?: unknown };
  return (
    typeof proto === 'object' &&
    proto !== null &&
    (proto as Record<symbol, unknown>)[BRAND] === true &&
    typeof cls.code === 'string' &&
    typeof cls.status === 'number'
  );
}
