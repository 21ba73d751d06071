import { Badge, Box, Tooltip } from '@mantine/core';
import { FlaskConical, KeyRound, LogIn, ShieldCheck } from 'lucide-react';
import { authTypeLabels, type DataSourceSummary } from './dataSourceLabels.ts';

const authIcons = {
  oauth2: ShieldCheck,
  api_key: KeyRound,
  login: LogIn,
  service_account: KeyRound,
} as const;

/** Auth type, Sandbox and Not configured badges of a data source. */
export function DataSourceBadges({ source }: { source: DataSourceSummary }) {
  const AuthIcon = authIcons[source.authType];
  return (
    // Spans, not divs: the badges also sit inside the page header's description paragraph.
    <Box component="span" style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 6 }}>
      <Badge component="span" variant="light" color="gray" leftSection={<AuthIcon size={12} aria-hidden />}>
        {authTypeLabels[source.authType]}
      </Badge>
      {source.sandbox && (
        <Tooltip label="Runs against Tributary's built-in sandbox: no real account is needed and nothing reaches the provider">
          <Badge
            component="span"
            variant="light"
            color="grape"
            leftSection={<FlaskConical size={12} aria-hidden />}
          >
            Sandbox
          </Badge>
        </Tooltip>
      )}
      {!source.configured && (
        <Tooltip label="Neither app credentials nor the sandbox are available: see the setup guide">
          <Badge component="span" variant="light" color="orange">
            Not configured
          </Badge>
        </Tooltip>
      )}
    </Box>
  );
}
