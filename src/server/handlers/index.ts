/**
 * The handler of every endpoint in the contract, one file per endpoint (or a small family).
 */
import type { Handlers } from '../routes.ts';
import { updateConnectionAccounts } from './accountSelection.ts';
import { exportAudit, listAudit } from './audit.ts';
import { deleteConnection, reconnectConnection, syncConnectionAccounts } from './connectionActions.ts';
import { getConnection, listConnectionAccounts } from './connectionById.ts';
import { listConnectionShares, shareConnection, unshareConnection } from './connectionShares.ts';
import { createConnection } from './createConnection.ts';
import { getExtractionDailyTotals } from './dailyTotals.ts';
import { getDataSource, listDataSources } from './dataSources.ts';
import { createDestination, deleteDestination, listDestinations } from './destinations.ts';
import { listEvents } from './events.ts';
import { getExtractionData, getExtractionLedger, previewExtraction } from './extractionData.ts';
import {
  createExtraction,
  deleteExtraction,
  getExtraction,
  listExtractions,
  pauseExtraction,
  resumeExtraction,
  updateExtraction,
} from './extractions.ts';
import { health } from './health.ts';
import {
  acceptInvitation,
  createInvitation,
  inspectInvitation,
  listInvitations,
  revokeInvitation,
} from './invitations.ts';
import { listConnections } from './listConnections.ts';
import { listMembers, removeMember, updateMember } from './members.ts';
import { oauthCallback } from './oauthCallback.ts';
import { cancelRun, getRun, listExtractionRuns, startExtractionRun } from './runs.ts';
import { previewSchedules } from './schedulePreview.ts';
import {
  changePassword,
  getSession,
  getSetupStatus,
  setupOwner,
  signIn,
  signInWithLink,
  signOut,
} from './signIn.ts';
import { createTemplate, getTemplate, listTemplates } from './templates.ts';
import { createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks } from './webhooks.ts';
import { createToken, createWorkspace, listTokens, listWorkspaces, revokeToken } from './workspaces.ts';

export const handlers: Handlers = {
  health,
  listDataSources,
  getDataSource,
  listConnections,
  createConnection,
  getConnection,
  listConnectionAccounts,
  updateConnectionAccounts,
  syncConnectionAccounts,
  reconnectConnection,
  deleteConnection,
  oauthCallback,
  listTemplates,
  getTemplate,
  createTemplate,
  listDestinations,
  createDestination,
  deleteDestination,
  createExtraction,
  previewExtraction,
  listExtractions,
  getExtraction,
  updateExtraction,
  deleteExtraction,
  pauseExtraction,
  resumeExtraction,
  startExtractionRun,
  listExtractionRuns,
  getExtractionData,
  getExtractionLedger,
  getExtractionDailyTotals,
  previewSchedules,
  getRun,
  cancelRun,
  listEvents,
  listWebhooks,
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  getSetupStatus,
  setupOwner,
  signIn,
  signInWithLink,
  signOut,
  getSession,
  changePassword,
  listWorkspaces,
  createWorkspace,
  listTokens,
  createToken,
  revokeToken,
  listMembers,
  updateMember,
  removeMember,
  listInvitations,
  createInvitation,
  revokeInvitation,
  inspectInvitation,
  acceptInvitation,
  listConnectionShares,
  shareConnection,
  unshareConnection,
  listAudit,
  exportAudit,
};
