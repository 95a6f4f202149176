/**
 * The catalogue's error classes, reachable by wire code (`errors['InvalidAccessKeyId.NotFound']`)
 * and by identifier (`errors.InvalidAccessKeyIdNotFound`).
 */
import { CATALOGUE, type CatalogueCode, type CatalogueName } from './catalogue.js';
import { makeErrorClass, type DefinedErrorClass } from './api-error.js';

export { CATALOGUE, type CatalogueRow, type CatalogueCode, type CatalogueName } from './catalogue.js';
export {
  ApiError,
  isApiError,
  isApiErrorClass,
  defineError,
  fillTemplate,
  type ApiErrorLike,
  type ApiErrorOptions,
  type ErrorData,
  type DefinedErrorClass,
  type DefinedErrorOptions,
  type Placeholders,
} from './api-error.js';

/** A catalogue error class; a string argument names the parameter. */
export type CatalogueErrorClass = DefinedErrorClass<'{parameter}'>;

/** Every catalogue class, by identifier and by wire code. */
export type ErrorCatalogue = { readonly [K in CatalogueName | CatalogueCode]: CatalogueErrorClass };

function buildCatalogue(): ErrorCatalogue {
  const table: Record<string, CatalogueErrorClass> = Object.create(null);
  for (const row of CATALOGUE) {
    const cls = makeErrorClass<'{parameter}'>(row);
    table[row.name] = cls;
    // A code shared by several rows (MissingParameter 400 / 403) maps to the row named like the code.
    if (!(row.code in table) || row.name === row.code) table[row.code] = cls;
  }
  return Object.freeze(table) as ErrorCatalogue;
}

/**
 * The error catalogue.
 *
 * @example
 * throw new errors.MissingParameter('Action');
 * throw new errors['InvalidAccessKeyId.NotFound']();
 * throw new errors.InvalidParameter({ parameter: 'PageSize', message: 'PageSize must be 1-100.' });
 */
export const errors: ErrorCatalogue = buildCatalogue();
