import type { Client as FunctionsClient } from '@nhost/nhost-js/functions';
import type { Client as GraphQLClient } from '@nhost/nhost-js/graphql';
import type { Client as StorageClient } from '@nhost/nhost-js/storage';
import type { NhostClient as BaseClient, NhostClientOptions, NhostServerClientOptions } from './index.js';

export * from './index.js';

/** The client with nhost-js's own GraphQL, Storage and Functions clients, authenticated by this SDK. */
export interface NhostJSClient extends BaseClient {
  graphql: GraphQLClient;
  storage: StorageClient;
  functions: FunctionsClient;
}

export function createClient(options?: NhostClientOptions): NhostJSClient;
export function createServerClient(options: NhostServerClientOptions): NhostJSClient;
export function createNhostClient(options?: NhostClientOptions): NhostJSClient;
