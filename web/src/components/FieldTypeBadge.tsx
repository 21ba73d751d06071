import { Badge, type MantineSize } from '@mantine/core';
import type { FieldType } from '../../../src/connectors/kit/types.ts';

const typeColors: Record<FieldType, string> = {
  string: 'gray',
  integer: 'blue',
  decimal: 'cyan',
  money: 'teal',
  percent: 'violet',
  date: 'orange',
  boolean: 'pink',
  json: 'yellow',
};

/** A field's warehouse type, one colour per type so numeric kinds stand apart from text in every list. */
export function FieldTypeBadge({ type, size = 'xs' }: { type: string; size?: MantineSize }) {
  return (
    <Badge
      size={size}
      variant="light"
      radius="sm"
      color={typeColors[type as FieldType] ?? 'gray'}
      style={{ flexShrink: 0 }}
    >
      {type}
    </Badge>
  );
}
