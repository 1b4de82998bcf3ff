// The JSON type rule of the surface table (TYPES in surface.js, generated
// from core's wire structs): the shim checks call arguments with it
// before any request, and stored sessions with it before reading them as
// signed in, so that the shim and auth.wasm agree on what is valid.
import { TYPES } from './surface.js';

// Argument errors are TypeErrors marked as ours, so that a user's getter
// that throws a TypeError of its own is still reported as unreadable.
export const OURS = Symbol('nhost-auth-wasm argument error');
export function argError(message, cause) {
  const e = new TypeError(message, cause === undefined ? undefined : { cause });
  e[OURS] = true;
  return e;
}

export function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

// checkType throws unless x (not null or undefined) has the JSON type t of
// the table (see TYPES in surface.js); objects are checked field by field.
export function checkType(where, x, t) {
  if (typeof t !== 'string') {
    if (!Array.isArray(x)) throw argError(`${where} must be an array, got ${describe(x)}`);
    for (let i = 0; i < x.length; i++) if (x[i] !== undefined && x[i] !== null) checkType(`${where}[${i}]`, x[i], t[0]);
    return;
  }
  switch (t) {
    case '*':
      return;
    case 's':
      if (typeof x !== 'string') throw argError(`${where} must be a string, got ${describe(x)}`);
      return;
    case 'b':
      if (typeof x !== 'boolean') throw argError(`${where} must be a boolean, got ${describe(x)}`);
      return;
    case 'n':
      if (typeof x !== 'number' || !Number.isFinite(x)) throw argError(`${where} must be a finite number, got ${describe(x)}`);
      return;
  }
  if (typeof x !== 'object' || Array.isArray(x)) throw argError(`${where} must be an object, got ${describe(x)}`);
  const fields = TYPES[t];
  if (!fields) return; // 'o': any object
  for (const k in fields) {
    const v = x[k];
    if (v !== undefined && v !== null) checkType(`${where}.${k}`, v, fields[k]);
  }
}

/** Whether x (an object) has the JSON types of the table's type t. */
export function hasType(x, t) {
  try {
    checkType('value', x, t);
    return true;
  } catch {
    return false;
  }
}
