import {
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isInterfaceType,
  isUnionType,
} from 'graphql';

/** Builds operations and argument values for every root field straight from the schema. */

export type Rand = () => number;

export interface ValueOptions {
  rand: Rand;
  /** Malformed values (empty, huge, negative, hostile strings) rather than plausible ones. */
  hostile: boolean;
  /** Fill optional fields too, sometimes. */
  optional: number;
}

const HOSTILE_STRINGS = ['', ' ', 'x'.repeat(5000), "'; DROP TABLE agent; --", '荊州😀', '\u0000', '%_%', '2025-13', '-1', 'null'];
const PLAUSIBLE_STRINGS = ['2025-01', 'demo', 'SHASHI', 'CDMA', 'Samsung', '13800138000', 'note'];
const HOSTILE_IDS = ['0', '-1', 'abc', '', '1e5', '99999999999999999999', '999999'];
const HOSTILE_INTS = [0, -1, 2147483647, -2147483648, 201];
const HOSTILE_SAFEINTS = [0, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1];
const DATES = ['2025-01-01T00:00:00.000Z', '2099-12-31T00:00:00.000Z', '1900-01-01T00:00:00.000Z'];

function pick<T>(rand: Rand, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

function scalarValue(name: string, o: ValueOptions): unknown {
  const r = o.rand;
  switch (name) {
    case 'ID':
      return o.hostile ? pick(r, HOSTILE_IDS) : pick(r, ['1', '2', '3']);
    case 'String':
      return o.hostile ? pick(r, HOSTILE_STRINGS) : pick(r, PLAUSIBLE_STRINGS);
    case 'Int':
      return o.hostile ? pick(r, HOSTILE_INTS) : pick(r, [1, 5, 10]);
    case 'SafeInt':
      return o.hostile ? pick(r, HOSTILE_SAFEINTS) : pick(r, [100, 5000]);
    case 'Float':
      return o.hostile ? pick(r, [0, -1.5, 1e308]) : 1.5;
    case 'Boolean':
      return r() < 0.5;
    case 'DateTime':
      return pick(r, DATES);
    default:
      return o.hostile ? pick(r, HOSTILE_STRINGS) : 'x';
  }
}

export function valueFor(type: GraphQLInputType, o: ValueOptions, depth = 0): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, o, depth);
  if (isListType(type)) {
    const n = depth > 3 ? 0 : Math.floor(o.rand() * 3) + (o.hostile ? 0 : 1);
    return Array.from({ length: n }, () => valueFor(type.ofType, o, depth + 1));
  }
  if (isEnumType(type)) return pick(o.rand, type.getValues()).name;
  if (isScalarType(type)) return scalarValue(type.name, o);
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) {
      if (isNonNullType(f.type) || o.rand() < o.optional) out[f.name] = valueFor(f.type, o, depth + 1);
    }
    return out;
  }
  return null;
}

/** Required arguments only (plus optional ones with probability o.optional). */
export function argsFor(field: GraphQLField<unknown, unknown>, o: ValueOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of field.args as readonly GraphQLArgument[]) {
    if (isNonNullType(a.type) || o.rand() < o.optional) out[a.name] = valueFor(a.type, o);
  }
  return out;
}

function selectionFor(type: GraphQLNamedType): string {
  if (isObjectType(type) || isInterfaceType(type) || isUnionType(type)) return ' { __typename }';
  return '';
}

/** `mutation Op($a: T!, ...) { field(a: $a, ...) { __typename } }` for any root field. */
export function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): string {
  const used = field.args.filter((a) => a.name in args);
  const vars = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const passed = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind} Op${vars ? `(${vars})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selectionFor(getNamedType(field.type))} }`;
}

export function rootFields(schema: GraphQLSchema): { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] {
  return [
    ...Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ kind: 'query' as const, field })),
    ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({ kind: 'mutation' as const, field })),
  ];
}
