/**
 * Non-OAuth sources (API key, login, service-account key): the submitted values are checked
 * against the source's form, verified with the provider, and only then saved.
 */
import crypto from 'node:crypto';
import type { Connector, CredentialForm } from '../connectors/kit/types.ts';
import { type Connection, newPendingConnection } from '../domain/connection.ts';
import { TributaryError } from '../domain/errors.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { activateConnection } from './activation.ts';
import type { AppContext } from './context.ts';

/** A connector with a credential form. */
export type FormConnector = Connector & { credentialForm: CredentialForm };

/**
 * Checks submitted values against the form: every field present, no unknown field, lengths and
 * patterns respected. Messages name the fields, never the values.
 */
export function checkCredentialValues(
  form: CredentialForm,
  values: Record<string, string> | undefined,
): Record<string, string> {
  const fieldNames = form.fields.map((field) => field.name);
  if (!values) {
    throw new TributaryError('validation_failed', `credentials are required: ${fieldNames.join(', ')}`);
  }
  const problems: string[] = [];
  for (const name of Object.keys(values)) {
    if (!fieldNames.includes(name)) problems.push(`credentials.${name} is not a field of this source`);
  }
  for (const field of form.fields) {
    const value = values[field.name]?.trim() ?? '';
    if (!value) problems.push(`credentials.${field.name} (${field.label}) is required`);
    else if (value.length > field.maxLength)
      problems.push(`credentials.${field.name} is longer than ${field.maxLength}`);
    else if (field.pattern && !new RegExp(field.pattern).test(value)) {
      problems.push(`credentials.${field.name} does not look like a ${field.label}`);
    }
  }
  if (problems.length > 0)
    throw new TributaryError('validation_failed', `Invalid credentials — ${problems.join('; ')}`);
  return Object.fromEntries(form.fields.map((field) => [field.name, values[field.name]!.trim()]));
}

/** Verifies values with the provider; wrong or insufficient credentials are the caller's 400. */
async function verify(connector: FormConnector, values: Record<string, string>) {
  try {
    return await connector.credentialForm.verify(values);
  } catch (error) {
    if (error instanceof TributaryError && (error.category === 'auth' || error.category === 'permission')) {
      throw new TributaryError(
        'auth_invalid_credentials',
        `${connector.name} refused the credentials: ${error.message}`,
        {
          details: { providerCode: error.code },
        },
      );
    }
    throw error;
  }
}

/** Creates an active connection from verified credentials; nothing is stored when verification fails. */
export async function createWithCredentials(
  context: AppContext,
  connector: FormConnector,
  submitted: Record<string, string> | undefined,
  workspaceId: string,
): Promise<Connection> {
  if (!connector.configured) {
    throw new TributaryError(
      'provider_not_configured',
      `${connector.name} is not configured and the sandbox is off`,
    );
  }
  const { token, identity } = await verify(
    connector,
    checkCredentialValues(connector.credentialForm, submitted),
  );
  const authType = connector.credentialForm.authType ?? connector.authType;
  const pending = newPendingConnection(
    crypto.randomUUID(),
    workspaceId,
    { ...connector, authType },
    context.now(),
  );
  await connectionsRepository.insert(context.db, pending);
  try {
    return await activateConnection(context, pending, token, identity);
  } catch (error) {
    await connectionsRepository.delete(context.db, pending.id);
    throw error;
  }
}

/** Replaces a connection's credentials (Reconnect for non-OAuth sources); another provider user is refused. */
export async function replaceCredentials(
  context: AppContext,
  connector: FormConnector,
  connection: Connection,
  submitted: Record<string, string> | undefined,
): Promise<Connection> {
  const { token, identity } = await verify(
    connector,
    checkCredentialValues(connector.credentialForm, submitted),
  );
  return activateConnection(context, connection, token, identity);
}
