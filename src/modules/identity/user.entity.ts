import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { Role } from '../../common/roles';

@ObjectType()
@Entity('app_user')
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Field()
  @Column({ type: 'varchar', length: 64, unique: true })
  username: string;

  /** scrypt$N$r$p$salt$hash; never exposed in the schema. */
  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Field(() => Role)
  @EnumColumn(Role)
  role: Role;

  @Field(() => ID, { nullable: true, description: 'For REPAIR_PARTNER users: their partner' })
  @Index()
  @Column({ type: 'int', nullable: true })
  repairPartnerId: number | null;

  @Field(() => ID, { nullable: true, description: 'For AGENT users: their agent' })
  @Index()
  @Column({ type: 'int', nullable: true })
  agentId: number | null;

  @Field()
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Field(() => String, { nullable: true, description: 'A name for people to read; the username stays the login' })
  @Column({ type: 'varchar', length: 100, nullable: true })
  displayName: string | null;

  /**
   * Bumped by every change that must end the user's sessions (disabled, role or binding changed,
   * password changed or reset, logged out everywhere); a token carries the value it was issued
   * with and is refused once they differ (src/modules/identity/sessions.ts).
   */
  @Column({ type: 'int', default: 0 })
  tokenVersion: number;

  @Field({ description: 'Set by resetPassword: until changePassword, a login token may only call changePassword and me' })
  @Column({ type: 'boolean', default: false })
  mustChangePassword: boolean;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}
