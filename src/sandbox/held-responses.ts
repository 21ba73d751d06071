/**
 * The `hang` fault's side of a sandbox: responses held open without an answer, and the server's connections that
 * never carried a request, all dropped when the server closes so `server.close()` does not wait. A provider
 * sandbox's store extends it (one per registration, so every test server starts clean).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Responses held open by the `hang` fault, and the connections to drop with them. */
export class HeldResponses {
  /** The responses held open now. */
  protected readonly held = new Set<ServerResponse>();
  private readonly unused = new Set<Socket>();

  /**
   * Holds a response open (the `hang` fault) until the client gives up or the server closes. Node keeps a socket
   * half-open while its response is pending, even after the client hung up, and `server.close()` would then wait
   * for the request timeout: the response is dropped as soon as the client leaves.
   */
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
   * Watches the server's connections so {@link releaseHeld} can also drop the ones that never carried a request.
   * A client that aborts a held call (undici's fetch does this) opens a spare connection it may never use; Node
   * does not count such a connection as idle, so `server.close()` would wait for its headers timeout (over a
   * minute) although nothing is in flight.
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
