import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many pending or active lines each identity (by its keyed hash) holds across all agents.
 * Submissions add to the count with an upsert and read it back in the same transaction, so two
 * agents submitting the same identity at once are serialised by the row lock and the line-limit
 * flag is right under any concurrency; rejections and cancellations take one off.
 */
@Entity('identity_line')
export class IdentityLine {
  @PrimaryColumn({ type: 'varchar', length: 44 })
  idHash: string;

  @Column({ type: 'int', default: 0 })
  lineCount: number;
}
