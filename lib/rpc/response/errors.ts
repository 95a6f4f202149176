/**
 * The errors an action declares it may answer with: catalogue classes (`errors.InvalidParameter`)
 * and `defineError` classes, checked when the action is declared.
 */
import { isApiErrorClass, type DefinedErrorClass } from '../../core/errors/api-error.js';

/** One declared error as plain JSON. */
export interface DeclaredError {
  readonly code: string;
  readonly status: number;
  /** The class's message (template: `{parameter}` and other placeholders left as written). */
  readonly message: string;
}

/**
 * The declared errors as plain JSON, in declaration order, without repeats; throws a TypeError
 * naming the action for anything that is not an ApiError class.
 *
 * @example
 * compileErrors('StartInstance', [errors.InvalidParameter, InvalidInstanceIdNotFound]);
 * // [{ code: 'InvalidParameter', status: 400, message: '…' }, { code: 'InvalidInstanceId.NotFound', status: 404, message: '…' }]
 */
export function compileErrors(action: string, declared: readonly DefinedErrorClass[]): DeclaredError[] {
  if (!Array.isArray(declared)) throw new TypeError(`action ${action}: errors must be an array of error classes`);
  const out: DeclaredError[] = [];
  const seen = new Set<string>();
  declared.forEach((cls: unknown, index) => {
    if (!isApiErrorClass(cls)) {
      const what = typeof cls === 'function' ? `the class ${cls.name || '(anonymous)'}` : typeof cls;
      throw new TypeError(`action ${action}: errors[${index}] (${what}) is not an ApiError class (use errors.* or defineError)`);
    }
    const key = `${cls.code} ${cls.status}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ code: cls.code, status: cls.status, message: typeof cls.message === 'string' ? cls.message : '' });
  });
  return out;
}
