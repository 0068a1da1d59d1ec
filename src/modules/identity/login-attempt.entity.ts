import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';

/** Login attempts, kept in the database so that every replica throttles alike. */
@Entity('login_attempt')
@Index('idx_login_attempt_user', ['username', 'at'])
@Index('idx_login_attempt_ip', ['ip', 'at'])
export class LoginAttempt {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ type: 'varchar', length: 64 })
  ip: string;

  @DateTimeColumn()
  at: Date;

  @Column({ type: 'boolean' })
  success: boolean;
}
