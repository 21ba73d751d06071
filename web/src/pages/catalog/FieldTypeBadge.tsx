import { Badge } from '@mantine/core';
import type { FieldType } from '../../../../src/connectors/kit/types.ts';

const typeColors: Record<FieldType, string> = {
  string: 'gray',
  integer: 'blue',
  decimal: 'cyan',
  money: 'teal',
  percent: 'lime',
  date: 'violet',
  boolean: 'orange',
  json: 'pink',
};

/** The warehouse type of a dimension or metric, coloured so numeric kinds stand apart from text. */
export function FieldTypeBadge({ type }: { type: FieldType }) {
  return (
    <Badge variant="light" color={typeColors[type]} size="sm" radius="sm" tt="none" ff="monospace">
      {type}
    </Badge>
  );
}
