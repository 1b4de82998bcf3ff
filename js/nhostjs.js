// nhost-auth-wasm/nhost-js: the whole @nhost/nhost-js client, with auth
// from this package and GraphQL, Storage and Functions from nhost-js's own
// service clients (installed beside it), authenticated by this package's
// session engine. An nhost-js app switches by changing its import.
import { createAPIClient as functions } from '@nhost/nhost-js/functions';
import { createAPIClient as graphql } from '@nhost/nhost-js/graphql';
import { createAPIClient as storage } from '@nhost/nhost-js/storage';
import * as base from './index.js';

export * from './index.js';

const SERVICES = Symbol.for('nhost-auth-wasm.services');
const factories = Object.freeze({ graphql, storage, functions });
const withServices = (options) => {
  if (options === undefined) return { [SERVICES]: factories };
  if (options === null || typeof options !== 'object') return options; // the entry's own TypeError
  return { ...options, [SERVICES]: factories };
};

export const createClient = (options) => base.createClient(withServices(options));
export const createServerClient = (options) => base.createServerClient(withServices(options));
export const createNhostClient = (options) => base.createNhostClient(withServices(options));
