/**
 * The handler of every endpoint in the contract, one file per endpoint (or a small family).
 */
import type { Handlers } from '../routes.ts';
import { deleteConnection, reconnectConnection, syncConnectionAccounts } from './connectionActions.ts';
import { getConnection, listConnectionAccounts } from './connectionById.ts';
import { createConnection } from './createConnection.ts';
import { getDataSource, listDataSources } from './dataSources.ts';
import { health } from './health.ts';
import { listConnections } from './listConnections.ts';
import { oauthCallback } from './oauthCallback.ts';

export const handlers: Handlers = {
  health,
  listDataSources,
  getDataSource,
  listConnections,
  createConnection,
  getConnection,
  listConnectionAccounts,
  syncConnectionAccounts,
  reconnectConnection,
  deleteConnection,
  oauthCallback,
};
