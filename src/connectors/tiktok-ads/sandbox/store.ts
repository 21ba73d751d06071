/**
 * The mutable part of the sandbox: issued auth codes and access tokens, revocations, and responses held
 * open by the `hang` fault. One store per registration, so every test server starts clean.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SandboxContext } from '../../kit/types.ts';
import { CODE_TTL_MS, PROVIDER } from './constants.ts';
import type { SeedUser } from './seed.ts';
import { newSecretValue } from './wire.ts';

/** An auth code and whom it belongs to. */
export interface IssuedCode {
  value: string;
  user: SeedUser;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

/** A long-term access token: no expiry, only revocation ends it. */
export interface IssuedAccessToken {
  value: string;
  user: SeedUser;
  revoked: boolean;
}

/** What looking a token up can find. */
export type TokenLookup =
  | { status: 'valid'; token: IssuedAccessToken }
  | { status: 'unknown' }
  | { status: 'revoked'; token: IssuedAccessToken };

/** Codes, tokens and held responses of one sandbox registration. */
export class TikTokSandboxStore {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, IssuedAccessToken>();
  private readonly held = new Set<ServerResponse>();
  private readonly unused = new Set<Socket>();

  constructor(readonly context: SandboxContext) {}

  /** Issues a single-use, one-hour auth code and records it with the host. */
  issueCode(user: SeedUser, redirectUri: string): IssuedCode {
    const code: IssuedCode = {
      value: newSecretValue(),
      user,
      redirectUri,
      expiresAt: this.context.now().getTime() + CODE_TTL_MS,
      used: false,
    };
    this.codes.set(code.value, code);
    this.context.recordToken(PROVIDER, { kind: 'code', value: code.value, user: user.email });
    return code;
  }

  findCode(value: string): IssuedCode | undefined {
    return this.codes.get(value);
  }

  /** Issues a long-term access token and records it with the host. */
  issueToken(user: SeedUser): IssuedAccessToken {
    const token: IssuedAccessToken = { value: newSecretValue(), user, revoked: false };
    this.tokens.set(token.value, token);
    this.context.recordToken(PROVIDER, { kind: 'access_token', value: token.value, user: user.email });
    return token;
  }

  lookupToken(value: string): TokenLookup {
    const token = this.tokens.get(value);
    if (!token) return { status: 'unknown' };
    return token.revoked ? { status: 'revoked', token } : { status: 'valid', token };
  }

  /** Holds a response open (the `hang` fault) until the client gives up or the server closes. */
  hold(response: ServerResponse): void {
    this.held.add(response);
    const drop = () => {
      this.held.delete(response);
      response.destroy();
    };
    response.on('close', drop);
    response.socket?.once('end', drop);
  }

  /**
   * Watches the server's connections so {@link releaseHeld} can also drop those that never carried a
   * request: a client that aborts a held call may open a spare connection it never uses, and
   * `server.close()` would wait for its headers timeout although nothing is in flight.
   */
  watchConnections(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.unused.add(socket);
      socket.once('close', () => this.unused.delete(socket));
    });
    server.on('request', (request: IncomingMessage) => this.unused.delete(request.socket));
  }

  /** Drops every held response and request-less connection, so closing the server does not wait. */
  releaseHeld(): void {
    for (const response of this.held) response.destroy();
    this.held.clear();
    for (const socket of this.unused) socket.destroy();
    this.unused.clear();
  }
}
