/**
 * A small OData v4 `$filter` parser: comparisons (`eq ne gt ge lt le`) of a property with a literal,
 * joined by `and`/`or`, with `not` and parentheses. Enough for the audit and systemuser queries
 * the Web API docs show; anything else is a syntax error the caller reports as Dataverse does.
 */
export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterLiteral =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' }
  | { readonly type: 'guid'; readonly value: string }
  | { readonly type: 'datetime'; readonly value: number; readonly text: string };

export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | {
      readonly kind: 'compare';
      readonly property: string;
      readonly operator: ComparisonOperator;
      readonly literal: FilterLiteral;
    };

export class FilterSyntaxError extends Error {}

type Token = { kind: 'word'; text: string } | { kind: 'literal'; literal: FilterLiteral } | { kind: 'open' | 'close' };

const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let position = 0;
  const peekWord = (): string | undefined => {
    const token = tokens[position];
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  };
  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      position++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (peekWord() === 'and') {
      position++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterNode => {
    const token = tokens[position];
    if (token?.kind === 'word' && token.text.toLowerCase() === 'not') {
      position++;
      return { kind: 'not', operand: parseUnary() };
    }
    if (token?.kind === 'open') {
      position++;
      const inner = parseOr();
      if (tokens[position]?.kind !== 'close') throw new FilterSyntaxError("Syntax error: ')' expected.");
      position++;
      return inner;
    }
    return parseComparison();
  };
  const parseComparison = (): FilterNode => {
    const property = tokens[position];
    const operator = tokens[position + 1];
    const literal = tokens[position + 2];
    if (property?.kind !== 'word' || operator?.kind !== 'word' || !OPERATORS.has(operator.text.toLowerCase())) {
      throw new FilterSyntaxError(`Syntax error at position ${position} in '${text}'.`);
    }
    if (literal?.kind !== 'literal')
      throw new FilterSyntaxError(`Syntax error: a literal is expected after '${property.text} ${operator.text}'.`);
    position += 3;
    return {
      kind: 'compare',
      property: property.text,
      operator: operator.text.toLowerCase() as ComparisonOperator,
      literal: literal.literal,
    };
  };
  const node = parseOr();
  if (position !== tokens.length) throw new FilterSyntaxError(`Syntax error at position ${position} in '${text}'.`);
  return node;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest[0] === '(' || rest[0] === ')') {
      tokens.push({ kind: rest[0] === '(' ? 'open' : 'close' });
      i++;
      continue;
    }
    if (rest[0] === "'") {
      let value = '';
      let j = 1;
      for (;;) {
        if (j >= rest.length) throw new FilterSyntaxError(`Unterminated string literal at position ${i}.`);
        if (rest[j] === "'") {
          if (rest[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += rest[j];
        j++;
      }
      tokens.push({ kind: 'literal', literal: { type: 'string', value } });
      i += j + 1;
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid) {
      tokens.push({ kind: 'literal', literal: { type: 'guid', value: guid[0].toLowerCase() } });
      i += guid[0].length;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      const value = Date.parse(datetime[0].length === 10 ? `${datetime[0]}T00:00:00Z` : datetime[0]);
      if (Number.isNaN(value)) throw new FilterSyntaxError(`Invalid date literal '${datetime[0]}'.`);
      tokens.push({ kind: 'literal', literal: { type: 'datetime', value, text: datetime[0] } });
      i += datetime[0].length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ kind: 'literal', literal: { type: 'number', value: Number(number[0]) } });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_./]*/.exec(rest);
    if (word) {
      const lower = word[0].toLowerCase();
      if (lower === 'true' || lower === 'false')
        tokens.push({ kind: 'literal', literal: { type: 'boolean', value: lower === 'true' } });
      else if (lower === 'null') tokens.push({ kind: 'literal', literal: { type: 'null' } });
      else tokens.push({ kind: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    throw new FilterSyntaxError(`Syntax error: character '${rest[0]}' is not valid at position ${i} in '${text}'.`);
  }
  return tokens;
}

/** Property types a table exposes to `$filter`. */
export type ColumnType = 'guid' | 'string' | 'number' | 'boolean' | 'datetime';

/**
 * Compiles a filter over rows read through `read(row, property)`; property names are checked against
 * `columns` so an unknown one is reported rather than silently false.
 */
export function compileFilter<Row>(
  node: FilterNode,
  columns: Readonly<Record<string, ColumnType>>,
  read: (row: Row, property: string) => string | number | boolean | null,
): (row: Row) => boolean {
  switch (node.kind) {
    case 'and': {
      const left = compileFilter(node.left, columns, read);
      const right = compileFilter(node.right, columns, read);
      return (row) => left(row) && right(row);
    }
    case 'or': {
      const left = compileFilter(node.left, columns, read);
      const right = compileFilter(node.right, columns, read);
      return (row) => left(row) || right(row);
    }
    case 'not': {
      const operand = compileFilter(node.operand, columns, read);
      return (row) => !operand(row);
    }
    case 'compare': {
      const type = columns[node.property];
      if (!type) throw new UnknownPropertyError(node.property);
      const expected = literalValue(node.literal, type, node.property);
      const compare = comparator(node.operator);
      const property = node.property;
      return (row) => {
        const actual = read(row, property);
        if (actual === null || expected === null)
          return node.operator === 'eq' ? actual === expected : node.operator === 'ne' ? actual !== expected : false;
        return compare(typeof actual === 'string' ? actual.toLowerCase() : actual, expected);
      };
    }
  }
}

export class UnknownPropertyError extends Error {
  constructor(readonly property: string) {
    super(property);
  }
}

function literalValue(literal: FilterLiteral, type: ColumnType, property: string): string | number | boolean | null {
  if (literal.type === 'null') return null;
  const mismatch = (): never => {
    throw new FilterSyntaxError(
      `A binary operator with incompatible types was detected. Found operand types for property '${property}' and a ${literal.type} literal.`,
    );
  };
  switch (type) {
    case 'guid':
      return literal.type === 'guid' || literal.type === 'string' ? literal.value.toLowerCase() : mismatch();
    case 'string':
      return literal.type === 'string' ? literal.value.toLowerCase() : mismatch();
    case 'number':
      return literal.type === 'number' ? literal.value : mismatch();
    case 'boolean':
      return literal.type === 'boolean' ? literal.value : mismatch();
    case 'datetime':
      return literal.type === 'datetime' ? literal.value : mismatch();
  }
}

function comparator(
  operator: ComparisonOperator,
): (a: string | number | boolean, b: string | number | boolean) => boolean {
  switch (operator) {
    case 'eq':
      return (a, b) => a === b;
    case 'ne':
      return (a, b) => a !== b;
    case 'gt':
      return (a, b) => a > b;
    case 'ge':
      return (a, b) => a >= b;
    case 'lt':
      return (a, b) => a < b;
    case 'le':
      return (a, b) => a <= b;
  }
}

/** The createdon window implied by top-level `and`-ed comparisons, so a scan can start and stop early. */
export function dateRange(node: FilterNode | undefined, property: string): { from: number; to: number } {
  const range = { from: -Infinity, to: Infinity };
  const visit = (current: FilterNode): void => {
    if (current.kind === 'and') {
      visit(current.left);
      visit(current.right);
    } else if (current.kind === 'compare' && current.property === property && current.literal.type === 'datetime') {
      const value = current.literal.value;
      if (current.operator === 'ge' || current.operator === 'eq') range.from = Math.max(range.from, value);
      if (current.operator === 'gt') range.from = Math.max(range.from, value + 1);
      if (current.operator === 'le' || current.operator === 'eq') range.to = Math.min(range.to, value);
      if (current.operator === 'lt') range.to = Math.min(range.to, value - 1);
    }
  };
  if (node) visit(node);
  return range;
}

/** True when the filter is only `and`-ed datetime comparisons on `property`, i.e. exactly a dateRange. */
export function onlyConstrains(node: FilterNode, property: string): boolean {
  if (node.kind === 'and') return onlyConstrains(node.left, property) && onlyConstrains(node.right, property);
  return (
    node.kind === 'compare' && node.property === property && node.literal.type === 'datetime' && node.operator !== 'ne'
  );
}
