/**
 * The hostile corpus: every case, each with the status and code a client must observe
 * (see case.ts for the shape, corpus/*.ts for the groups).
 */
import type { HostileCase } from './case.js';
import { AUTHENTICATION_CASES } from './corpus/authentication.js';
import { ENCODING_CASES } from './corpus/encoding.js';
import { PARAMETER_CASES } from './corpus/parameters.js';
import { TRANSPORT_CASES } from './corpus/transport.js';

export type { HostileCase } from './case.js';

/** Every case, in a stable order (some cases read what an earlier one created). */
export const CORPUS: readonly HostileCase[] = [...ENCODING_CASES, ...PARAMETER_CASES, ...AUTHENTICATION_CASES, ...TRANSPORT_CASES];
