import { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { runtimeOn } from '../switches';
import { getMetadataStorage } from 'type-graphql';
import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Which of an entity's columns a GraphQL selection reads, so a hot list selects those and not the
 * whole row. On a page of agents with their latest records, reading all 21 columns of 150
 * registrations (the sealed identity, its hash, the customer's name...) to show five of them cost
 * about a tenth of the server's CPU per request (bench/README.md), and MariaDB sent them all.
 *
 * A plain field reads its own column. A field resolver reads what its `@ReadsColumns` says; one
 * without that declaration, or anything the walk does not know (a relation, a getter), means
 * "every column", so a projection can only ever be too wide, never too narrow.
 */
const READS = Symbol('reads columns');

/** On a field resolver: the parent entity's properties (columns) it reads. */
export function ReadsColumns(...properties: string[]): MethodDecorator {
  return (target, methodName) => {
    Reflect.defineMetadata(READS, properties, target, methodName);
  };
}

/**
 * The properties a field resolver method declared with `@ReadsColumns`, or undefined when it
 * declared none (test/api/reads-columns.test.ts checks every declaration against the full row).
 */
export function declaredReads(resolverClass: Function, methodName: string): readonly string[] | undefined {
  return Reflect.getMetadata(READS, resolverClass.prototype as object, methodName) as string[] | undefined;
}

/** What one GraphQL field of an entity's object type reads: its properties, or null for all. */
function fieldReads(entity: Function, schemaName: string, columnProps: Set<string>): string[] | null {
  if (schemaName === '__typename') return [];
  const storage = getMetadataStorage();
  const resolver = storage.fieldResolvers.find((r) => r.getObjectType?.() === entity && r.schemaName === schemaName);
  if (resolver) {
    const declared = declaredReads(resolver.target, resolver.methodName);
    return declared ? [...declared] : null;
  }
  const field = storage.objectTypes.find((t) => t.target === entity)?.fields?.find((f) => f.schemaName === schemaName);
  return field && columnProps.has(field.name) ? [field.name] : null;
}

/**
 * The field names selected at `path` below the resolved field (through inline fragments and
 * fragment spreads), or null when a fragment it names is not in the document.
 */
export function selectedNames(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): Set<string> | null {
  const names = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, depth: number): boolean => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === 'InlineFragment') {
        if (!walk(sel.selectionSet, depth)) return false;
      } else if (sel.kind === 'FragmentSpread') {
        const fragment = info.fragments?.[sel.name.value];
        if (!fragment || !walk(fragment.selectionSet, depth)) return false;
      } else if (depth === path.length) {
        names.add(sel.name.value);
      } else if (sel.name.value === path[depth]) {
        if (!walk(sel.selectionSet, depth + 1)) return false;
      }
    }
    return true;
  };
  for (const node of info.fieldNodes) if (!walk(node.selectionSet, 0)) return null;
  return names;
}

interface EntityFields {
  columnProps: Set<string>;
  databaseName: Map<string, string>;
  reads: Map<string, string[] | null>;
}
const entityFields = new WeakMap<DataSource, Map<Function, EntityFields>>();
/** One answer of selectedColumns for a field node: what it was asked, what it said. */
interface Answer {
  target: Function;
  path: readonly string[];
  always: readonly string[];
  names: 'column' | 'property';
  columns: string[] | null;
}
/**
 * Answers per field node of a parsed document (the document is kept by Apollo's bounded store):
 * one or two per node, found by comparing the arguments as they are. A string key joined from them
 * cost more than the rest of a cached answer, 50 times on a page of agents.
 */
const answers = new WeakMap<FieldNode, Answer[]>();

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The database column names (or, `as: 'property'`, the property names, for a query builder's
 * select) an entity's rows need for the selection at `path` below the field being resolved
 * (`['edges', 'node']` for a connection), plus `always` (properties the caller groups or pages by)
 * and the primary key; null when every column is needed. Computed once per field of a parsed
 * document.
 */
export function selectedColumns<T extends ObjectLiteral>(
  ds: DataSource,
  target: EntityTarget<T>,
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'> | undefined,
  path: readonly string[],
  options: { always?: readonly (keyof T & string)[]; as?: 'column' | 'property' } = {},
): string[] | null {
  if (!info?.fieldNodes?.length || !runtimeOn('projection')) return null;
  const always: readonly string[] = options.always ?? [];
  const names = options.as ?? 'column';
  const meta = ds.getMetadata(target);
  const entity = meta.target as Function;
  const first = info.fieldNodes[0];
  const cacheable = info.fieldNodes.length === 1;
  if (cacheable) {
    for (const a of answers.get(first) ?? []) {
      if (a.target === entity && a.names === names && sameList(a.path, path) && sameList(a.always, always)) return a.columns;
    }
  }

  let perDs = entityFields.get(ds);
  if (!perDs) entityFields.set(ds, (perDs = new Map()));
  let fields = perDs.get(entity);
  if (!fields) {
    const columns = meta.columns.filter((c) => !c.isVirtual && !c.embeddedMetadata);
    fields = {
      columnProps: new Set(columns.map((c) => c.propertyName)),
      databaseName: new Map(columns.map((c) => [c.propertyName, c.databaseName])),
      reads: new Map(),
    };
    perDs.set(entity, fields);
  }

  let answer: string[] | null = null;
  const selected = selectedNames(info, path);
  if (selected) {
    const props = new Set<string>([...meta.primaryColumns.map((c) => c.propertyName), ...always]);
    for (const name of selected) {
      let reads = fields.reads.get(name);
      if (reads === undefined) fields.reads.set(name, (reads = fieldReads(entity, name, fields.columnProps)));
      if (reads === null) {
        props.clear();
        break;
      }
      for (const p of reads) props.add(p);
    }
    // A declared property that is not a column is a mistake in a declaration: read every column.
    if (props.size && [...props].every((p) => fields.databaseName.has(p))) {
      answer = [...props].map((p) => (names === 'column' ? fields.databaseName.get(p)! : p)).sort();
    }
  }
  if (cacheable) {
    let perNode = answers.get(first);
    if (!perNode) answers.set(first, (perNode = []));
    perNode.push({ target: entity, path: [...path], always: [...always], names, columns: answer });
  }
  return answer;
}
