/**
 * Structured JSON logs. Request URLs are logged without their query string (OAuth codes and the
 * sandbox's token exchanges travel there), and credential-shaped keys are redacted everywhere.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          '*.accessToken',
          '*.refreshToken',
          '*.access_token',
          '*.refresh_token',
          '*.password',
          '*.apiKey',
          '*.client_secret',
          '*.code',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (request: { id?: string; method?: string; url?: string }) => ({
          id: request.id,
          method: request.method,
          path: request.url?.split('?')[0],
        }),
      },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
