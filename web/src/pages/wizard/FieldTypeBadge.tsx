import { Badge } from '@mantine/core';

const colors: Record<string, string> = {
  string: 'gray',
  integer: 'blue',
  decimal: 'cyan',
  money: 'teal',
  percent: 'violet',
  date: 'orange',
  boolean: 'pink',
  json: 'yellow',
};

/** A field's warehouse type, one colour per type so lists scan quickly. */
export function FieldTypeBadge({ type }: { type: string }) {
  return (
    <Badge size="xs" variant="light" color={colors[type] ?? 'gray'} style={{ flexShrink: 0 }}>
      {type}
    </Badge>
  );
}
