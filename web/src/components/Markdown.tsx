/**
 * A small markdown renderer for the connectors' own documentation (setup guides, troubleshooting).
 * It builds React elements, never HTML strings, so nothing in a document can inject markup; links
 * keep only http(s) and relative targets. Supported: ATX headings, paragraphs, emphasis, inline and
 * fenced code, bullet and numbered lists (nested by indentation), block quotes, rules and pipe tables.
 */
import { Typography } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';

type Align = 'left' | 'center' | 'right' | undefined;

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; language: string; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'rule' }
  | { kind: 'table'; align: Align[]; header: string[]; rows: string[][] };

const headingLine = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const fenceLine = /^\s*(```+|~~~+)\s*([\w+-]*)\s*$/;
const listLine = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const ruleLine = /^\s*([-*_])(\s*\1){2,}\s*$/;
const tableSeparator = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Splits a pipe-table row into trimmed cells; `\|` stays a literal pipe. */
function cellsOf(line: string): string[] {
  const trimmed = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

function alignOf(cell: string): Align {
  const left = cell.startsWith(':');
  const right = cell.endsWith(':');
  return left && right ? 'center' : right ? 'right' : left ? 'left' : undefined;
}

/** True when `line` starts a block other than a paragraph (so a paragraph ends before it). */
function startsBlock(line: string, next: string | undefined): boolean {
  return (
    headingLine.test(line) ||
    fenceLine.test(line) ||
    listLine.test(line) ||
    ruleLine.test(line) ||
    /^\s*>/.test(line) ||
    (line.trim().startsWith('|') && next !== undefined && tableSeparator.test(next))
  );
}

/** Parses markdown source into blocks. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = fenceLine.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ kind: 'code', language: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = headingLine.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      i++;
      continue;
    }
    if (ruleLine.test(line)) {
      blocks.push({ kind: 'rule' });
      i++;
      continue;
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && tableSeparator.test(lines[i + 1]!)) {
      const header = cellsOf(line);
      const align = cellsOf(lines[i + 1]!).map(alignOf);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trim().startsWith('|')) rows.push(cellsOf(lines[i++]!));
      blocks.push({ kind: 'table', align, header, rows });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) body.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      blocks.push({ kind: 'quote', blocks: parseMarkdown(body.join('\n')) });
      continue;
    }
    const item = listLine.exec(line);
    if (item) {
      i = parseList(lines, i, blocks);
      continue;
    }
    const text: string[] = [line.trim()];
    i++;
    while (i < lines.length && lines[i]!.trim() !== '' && !startsBlock(lines[i]!, lines[i + 1])) {
      text.push(lines[i++]!.trim());
    }
    blocks.push({ kind: 'paragraph', text: text.join(' ') });
  }
  return blocks;
}

/**
 * Reads one list starting at `start`: each item is its first line plus every following line
 * indented past the marker (continuations and nested lists), parsed again as blocks.
 */
function parseList(lines: string[], start: number, blocks: Block[]): number {
  const first = listLine.exec(lines[start]!)!;
  const indent = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  const items: Block[][] = [];
  let i = start;
  while (i < lines.length) {
    const match = listLine.exec(lines[i]!);
    if (!match || match[1]!.length !== indent || /\d/.test(match[2]!) !== ordered) break;
    const body: string[] = [match[3]!];
    // Continuation lines are aligned under the item's text; nested markers keep their extra indent.
    const contentOffset = match[0].length - match[3]!.length;
    i++;
    while (i < lines.length) {
      const next = lines[i]!;
      const nextIndent = next.length - next.trimStart().length;
      if (next.trim() === '') {
        // A blank line ends the item unless the list (or this item) carries on after it.
        const after = lines[i + 1];
        if (after === undefined || after.length - after.trimStart().length <= indent) break;
        body.push('');
      } else if (nextIndent <= indent) {
        break;
      } else {
        body.push(next.slice(Math.min(nextIndent, contentOffset)));
      }
      i++;
    }
    items.push(parseMarkdown(body.join('\n')));
    while (i < lines.length && lines[i]!.trim() === '' && listLine.test(lines[i + 1] ?? '')) {
      if (listLine.exec(lines[i + 1]!)![1]!.length !== indent) break;
      i++;
    }
  }
  blocks.push({ kind: 'list', ordered, start: Number.parseInt(first[2]!, 10) || 1, items });
  return i;
}

/** True for a link target that is safe to follow: http(s), or a path on this site. */
function safeHref(href: string): boolean {
  if (/^https?:\/\//i.test(href)) return true;
  return !/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith('//');
}

function renderLink(href: string, label: ReactNode, key: number): ReactNode {
  if (!safeHref(href)) return <Fragment key={key}>{label}</Fragment>;
  if (/^https?:\/\//i.test(href)) {
    return (
      <a key={key} href={href} target="_blank" rel="noopener noreferrer">
        {label}
      </a>
    );
  }
  if (href.startsWith('#')) {
    return (
      <a key={key} href={href}>
        {label}
      </a>
    );
  }
  return (
    <Link key={key} to={href}>
      {label}
    </Link>
  );
}

// Alternatives, in order: code span, autolink, [text](url), **strong**, __strong__, *em*, _em_, \escape.
const inlinePattern =
  /`([^`]+)`|<(https?:\/\/[^\s>]+)>|\[([^\]]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*|(?<!\w)__(.+?)__(?!\w)|\*(?!\s)(.+?)\*|(?<!\w)_(?!\s)(.+?)_(?!\w)|\\([\\`*_{}[\]()#+\-.!<>|])/g;

/** Renders inline markdown (emphasis, code, links) as React nodes. */
export function renderInline(text: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const match of text.matchAll(inlinePattern)) {
    const index = match.index;
    if (index > last) nodes.push(text.slice(last, index));
    const [, code, autolink, linkText, linkHref, strong1, strong2, em1, em2, escaped] = match;
    if (code !== undefined) nodes.push(<code key={key}>{code}</code>);
    else if (autolink !== undefined) nodes.push(renderLink(autolink, autolink, key));
    else if (linkText !== undefined) nodes.push(renderLink(linkHref!, renderInline(linkText), key));
    else if (strong1 !== undefined || strong2 !== undefined)
      nodes.push(<strong key={key}>{renderInline((strong1 ?? strong2)!)}</strong>);
    else if (em1 !== undefined || em2 !== undefined)
      nodes.push(<em key={key}>{renderInline((em1 ?? em2)!)}</em>);
    else nodes.push(escaped);
    key++;
    last = index + match[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

function renderHeading(level: number, children: ReactNode): ReactNode {
  const Tag = `h${Math.min(6, Math.max(1, level))}` as 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6';
  return <Tag>{children}</Tag>;
}

/**
 * Sibling elements keyed by their position: a document is rendered whole and never reordered,
 * so where an element stands is its identity.
 */
function positional<T>(items: T[], render: (item: T, index: number) => ReactNode): ReactNode[] {
  const nodes: ReactNode[] = [];
  for (let position = 0; position < items.length; position++) {
    nodes.push(<Fragment key={position}>{render(items[position]!, position)}</Fragment>);
  }
  return nodes;
}

function renderTable(block: Extract<Block, { kind: 'table' }>): ReactNode {
  const cells = (row: string[], Cell: 'th' | 'td') =>
    positional(block.header, (_, index) => (
      <Cell style={{ textAlign: block.align[index] }}>{renderInline(row[index] ?? '')}</Cell>
    ));
  return (
    <div style={{ overflowX: 'auto', marginBottom: 'var(--mantine-spacing-md)' }}>
      <table>
        <thead>
          <tr>{cells(block.header, 'th')}</tr>
        </thead>
        <tbody>
          {positional(block.rows, (row) => (
            <tr>{cells(row, 'td')}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A list item with at most one paragraph (plus nested lists) renders without paragraph margins. */
function isTight(item: Block[]): boolean {
  return item.filter((block) => block.kind === 'paragraph').length <= 1;
}

function renderBlock(block: Block, headingOffset: number, tight: boolean): ReactNode {
  switch (block.kind) {
    case 'heading':
      return renderHeading(block.level + headingOffset, renderInline(block.text));
    case 'paragraph':
      // A list item that is one line of text reads better without a paragraph's margins.
      return tight ? renderInline(block.text) : <p>{renderInline(block.text)}</p>;
    case 'code':
      return (
        <pre data-language={block.language || undefined}>
          <code>{block.text}</code>
        </pre>
      );
    case 'rule':
      return <hr />;
    case 'quote':
      return <blockquote>{renderBlocks(block.blocks, headingOffset)}</blockquote>;
    case 'list': {
      const items = positional(block.items, (item) => (
        <li>{renderBlocks(item, headingOffset, isTight(item))}</li>
      ));
      return block.ordered ? (
        <ol start={block.start === 1 ? undefined : block.start}>{items}</ol>
      ) : (
        <ul>{items}</ul>
      );
    }
    case 'table':
      return renderTable(block);
  }
}

function renderBlocks(blocks: Block[], headingOffset: number, tight = false): ReactNode[] {
  return positional(blocks, (block) => renderBlock(block, headingOffset, tight));
}

/**
 * Markdown shown with Mantine's typography styles. `headingOffset` demotes the document's
 * headings so its `#` title sits under the page's own title.
 */
export function Markdown({ source, headingOffset = 0 }: { source: string; headingOffset?: number }) {
  return <Typography className="markdown">{renderBlocks(parseMarkdown(source), headingOffset)}</Typography>;
}
