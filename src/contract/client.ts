/**
 * A typed client over the endpoint table, used by the CLI and the tests (and later the web app).
 * Success bodies are validated against the contract; errors arrive as {@link ApiError}.
 */
import { type EndpointName, type EndpointRequest, type EndpointResult, endpoints } from './endpoints.ts';
import { errorBodySchema } from './schemas.ts';

/** An error response from the API, with its contract code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  /** Sent with every call; a function is asked on each call (a page's CSRF token and workspace can change). */
  headers?: Record<string, string> | (() => Record<string, string>);
  fetch?: typeof fetch;
}

/** Builds the URL of an endpoint call: path parameters filled in, query encoded. */
export function endpointUrl<N extends EndpointName>(
  baseUrl: string,
  name: N,
  request: EndpointRequest<N> = {},
): string {
  const endpoint = endpoints[name];
  const params = (request.params ?? {}) as Record<string, string>;
  const path = endpoint.path.replace(/:([a-zA-Z]+)/g, (_, key: string) =>
    encodeURIComponent(params[key] ?? ''),
  );
  const url = new URL(path, baseUrl);
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** Creates a client whose `call` is typed by the endpoint table. */
export function createApiClient(options: ClientOptions) {
  const fetchImpl = options.fetch ?? fetch;
  return {
    async call<N extends EndpointName>(
      name: N,
      request: EndpointRequest<N> = {},
    ): Promise<EndpointResult<N>> {
      const endpoint = endpoints[name];
      const hasBody = request.body !== undefined;
      const response = await fetchImpl(endpointUrl(options.baseUrl, name, request), {
        method: endpoint.method,
        headers: {
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
          ...(typeof options.headers === 'function' ? options.headers() : options.headers),
        },
        body: hasBody ? JSON.stringify(request.body) : undefined,
      });
      const text = await response.text();
      if (!response.ok) {
        const parsed = errorBodySchema.safeParse(safeJson(text));
        if (parsed.success) {
          const { code, message, details } = parsed.data.error;
          throw new ApiError(response.status, code, message, details);
        }
        throw new ApiError(
          response.status,
          'unexpected_response',
          `HTTP ${response.status}: ${text.slice(0, 200)}`,
        );
      }
      const schema = endpoint.success.schema;
      if (!schema) return undefined as EndpointResult<N>;
      return schema.parse(safeJson(text)) as EndpointResult<N>;
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
