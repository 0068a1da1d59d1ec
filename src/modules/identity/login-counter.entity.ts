import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';

/**
 * Failed-login counters (login-throttle.ts): one row per user and address, per user and per
 * address. A login reserves its attempt here, in a transaction that locks the rows, before the
 * password is checked, so concurrent guesses cannot all read the same count. In the database so
 * that every replica counts alike.
 */
@Entity('login_counter')
export class LoginCounter {
  /** "ua:<user>|<address>", "u:<user>" or "a:<address>"; <user> is "#<id>" or "@<name as typed, lower case>". */
  @PrimaryColumn({ type: 'varchar', length: 160 })
  counterKey: string;

  /** Attempts counted in the current window (a success takes its own back). */
  @Column({ type: 'int', default: 0 })
  failures: number;

  @DateTimeColumn()
  windowStart: Date;

  /** Per-user backoff: no attempt before this instant (null: none pending). */
  @DateTimeColumn({ nullable: true })
  nextAllowedAt: Date | null;
}
