import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';

/** Money in integer fen; the contract's SafeInt. */
export const SafeInt = SafeIntResolver;
/** ISO-8601 instants; the contract's DateTime. */
export const DateTime = DateTimeResolver;
