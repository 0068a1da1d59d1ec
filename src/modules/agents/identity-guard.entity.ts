import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per bucket of identity hashes (the hash's first two bytes: 65,536 buckets at most, a
 * couple of megabytes), written by every submission on a Galera cluster before it counts an
 * identity's live lines (registration-ingest.ts). Galera certifies writes, not reads: two nodes'
 * locking reads of the same identity's lines do not see each other, but two writes to the same
 * bucket row do, and the later one is rolled back and run again, when it counts the other's lines.
 * A single server needs none of this (the locking read queues the two), and never writes here.
 */
@Entity('identity_guard')
export class IdentityGuard {
  @PrimaryColumn({ type: 'int', unsigned: true })
  bucket: number;

  @Column({ type: 'bigint', unsigned: true, default: 0 })
  version: string;
}
