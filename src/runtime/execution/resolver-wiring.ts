import { GraphQLFieldResolver, GraphQLResolveInfo, GraphQLScalarType, GraphQLSchema, isObjectType } from 'graphql';
import { getMetadataStorage as getValidatorMetadata, validateOrReject, ValidationError } from 'class-validator';
import { ArgumentValidationError, AuthorizationError, getMetadataStorage } from 'type-graphql';
import { authChecker } from '../../common/auth';
import type { Context } from '../../common/context';
import type { Role } from '../../common/roles';

/*
 * How src/schema.ts wires type-graphql's resolvers for speed (src/runtime/README.md, "resolver
 * wiring"): read from type-graphql's metadata storage (an internal: type-graphql is pinned, and
 * test/unit/schema-resolvers.test.ts checks the result), so every mechanism here can be switched
 * off by not applying it in getSchema().
 */

/**
 * Arguments validated as type-graphql validates them with the settings above (objects and arrays
 * of objects through class-validator, missing properties skipped, unknown values allowed; the
 * same ArgumentValidationError), with class-validator imported once: type-graphql's own path
 * `require`s it again for every validated argument, a module lookup per list query that showed in
 * the shelf's CPU profile.
 */
const VALIDATOR_OPTIONS = { forbidUnknownValues: false, skipMissingProperties: true };
/**
 * Whether class-validator holds any rule for a class, asked as its validator asks (no groups):
 * with none and unknown values allowed, validating finds nothing, so it is not run. Paging and
 * filter arguments, on every list query, mostly carry no rules (pageSize and the services check
 * them); the validator's walk and promises per argument showed in the shelf's profile.
 */
const hasRules = new WeakMap<Function, boolean>();
function carriesRules(value: object): boolean {
  const ctor = (value as { constructor?: unknown }).constructor;
  // An object without a class (a null prototype, a shadowed constructor): validated as before.
  if (typeof ctor !== 'function') return true;
  let known = hasRules.get(ctor);
  if (known === undefined) {
    known = getValidatorMetadata().getTargetValidationMetadatas(ctor, undefined as unknown as string, false, false).length > 0;
    hasRules.set(ctor, known);
  }
  return known;
}

export async function validateArgument(value: unknown): Promise<void> {
  const objects = (Array.isArray(value) ? value : [value]).filter((v): v is object => v !== null && typeof v === 'object' && carriesRules(v));
  if (!objects.length) return;
  try {
    await Promise.all(objects.map((v) => validateOrReject(v, VALIDATOR_OPTIONS)));
  } catch (err) {
    throw new ArgumentValidationError(err as ValidationError[]);
  }
}

/**
 * graphql-jit reads a field without a resolver as a plain value, never awaiting it: only a
 * property declared with a type that cannot be a promise (a string, number, boolean, date, array
 * or class) loses its wrapper. `Promise<T>`, `T | Promise<T>` and generics (reflected as Object)
 * keep theirs, unless the field is declared `simple`.
 */
function syncDesignType(target: object, property: string): boolean {
  const type: unknown = Reflect.getMetadata('design:type', (target as { prototype: object }).prototype, property);
  return typeof type === 'function' && type !== Object && type !== Promise;
}

/**
 * type-graphql gives every plain `@Field` a resolver that runs the field's middleware chain and
 * then reads the property, even when there is no middleware to run. On a page of agents with their
 * latest records that is about a thousand calls per request, each allocating its promise chain and
 * resolve info (a quarter of the allocation profile). The default resolver reads the same
 * property, so the wrapper is removed from every field that has no field resolver, no
 * `@Authorized`, no middleware, no arguments, the same name in the schema as on the class and a
 * value that cannot be a promise (syncDesignType); any other field keeps type-graphql's resolver.
 */
export function withPlainFieldsUnwrapped(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const gqlFields = type.getFields();
    for (const field of objectType.fields ?? []) {
      const gqlField = gqlFields[field.schemaName];
      if (!gqlField?.resolve) continue;
      const hasFieldResolver = storage.fieldResolvers.some((r) => r.getObjectType?.() === field.target && r.methodName === field.name);
      const plain =
        !hasFieldResolver &&
        field.roles === undefined &&
        !field.middlewares?.length &&
        !field.params?.length &&
        field.name === field.schemaName &&
        (field.simple === true || syncDesignType(field.target, field.name));
      if (plain) gqlField.resolve = undefined;
    }
  }
  return schema;
}

type Getter = (root: unknown, args: Record<string, unknown>, context: Context, info: GraphQLResolveInfo) => unknown;

/** An argument type whose value type-graphql passes through as it is: a scalar or an enum. */
function passThroughType(type: unknown): boolean {
  return type === String || type === Number || type === Boolean || type instanceof GraphQLScalarType || (typeof type === 'object' && type !== null);
}

/**
 * type-graphql calls every field resolver through its middleware chain (the `@Authorized` check is
 * an async middleware), re-sorts the parameter metadata, converts the root and validates the
 * arguments asynchronously: several promises and closures per call. On a page of agents with
 * their latest records that is a hundred calls per request, the largest share of type-graphql in
 * the CPU profile. A field resolver whose parameters are only the root, the context, the info,
 * arguments it does not validate (`validate: false`) or single scalar or enum arguments (which
 * type-graphql never validates) and which has no middleware is called directly: the same
 * `authChecker` for its roles, the same resolver instance method, the same argument values
 * (`validate: false` arguments unvalidated, as the setting says; type-graphql itself would still
 * hand them to the global `validateFn`). A root that is not an instance of its declared class goes
 * to type-graphql's own resolver, which converts it.
 */
export function withDirectFieldResolvers(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const instances = new Map<Function, Record<string, (...params: unknown[]) => unknown>>();
  for (const r of storage.fieldResolvers) {
    if (r.kind !== 'external' || r.middlewares?.length) continue;
    const objectClass = r.getObjectType?.();
    const typeName = storage.objectTypes.find((t) => t.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    if (!isObjectType(type)) continue;
    const field = type.getFields()[r.schemaName];
    const original = field?.resolve;
    if (!original) continue;
    const params = [...(r.params ?? [])].sort((a, b) => a.index - b.index);
    let rootType: Function | undefined;
    const getters: Getter[] = [];
    for (const p of params) {
      if (p.kind === 'root' && !p.propertyName) {
        const declared = p.getType?.();
        if (declared !== undefined && typeof declared !== 'function') break;
        rootType = declared as Function | undefined;
        getters.push((root) => root);
      } else if (p.kind === 'context') {
        const property = p.propertyName;
        getters.push(property ? (_r, _a, context) => (context as unknown as Record<string, unknown>)[property] : (_r, _a, context) => context);
      } else if (p.kind === 'info') {
        getters.push((_r, _a, _c, info) => info);
      } else if (p.kind === 'args' && p.validateSettings === false && !p.validateFn) {
        getters.push((_r, args) => args);
      } else if (p.kind === 'arg' && !p.typeOptions.array && !p.validateFn && passThroughType(p.getType())) {
        const name = p.name;
        getters.push((_r, args) => args[name]);
      } else {
        break;
      }
    }
    if (getters.length !== params.length) continue; // a parameter type-graphql must convert or validate
    let instance = instances.get(r.target);
    if (!instance) instances.set(r.target, (instance = new (r.target as new () => Record<string, (...params: unknown[]) => unknown>)()));
    const target = instance;
    const method = instance[r.methodName];
    const roles = r.roles as Role[] | undefined;
    const direct: GraphQLFieldResolver<unknown, Context> = (root, args, context, info) => {
      if (rootType && root != null && !(root instanceof rootType)) return original(root, args, context, info);
      if (roles && !authChecker({ root, args, context, info }, roles)) throw new AuthorizationError();
      const values = new Array<unknown>(getters.length);
      for (let i = 0; i < getters.length; i++) values[i] = getters[i](root, args, context, info);
      return method.apply(target, values);
    };
    field.resolve = direct as GraphQLFieldResolver<unknown, unknown>;
  }
  return schema;
}
