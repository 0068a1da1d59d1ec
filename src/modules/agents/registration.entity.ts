import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { Agent } from './agent.entity';

export enum Network {
  CDMA = 'CDMA',
  GSM = 'GSM',
}
registerEnumType(Network, { name: 'Network' });

export enum RegistrationStatus {
  PENDING_ACTIVATION = 'PENDING_ACTIVATION',
  ACTIVE = 'ACTIVE',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(RegistrationStatus, { name: 'RegistrationStatus' });

export enum RegistrationFlag {
  INVALID_ID_CHECKSUM = 'INVALID_ID_CHECKSUM',
  INVALID_BIRTH_DATE = 'INVALID_BIRTH_DATE',
  UNDERAGE = 'UNDERAGE',
  ID_LINE_LIMIT_EXCEEDED = 'ID_LINE_LIMIT_EXCEEDED',
  LATE_ENTRY = 'LATE_ENTRY',
}
registerEnumType(RegistrationFlag, { name: 'RegistrationFlag' });

/**
 * A customer record an agent submitted. The identity number is never stored in plain text: see
 * the agents module's identity crypto (idCipher/idKeyId/idHash).
 */
@ObjectType()
@Entity('registration')
@Index('idx_registration_agent', ['agentId', 'id'])
@Index('idx_registration_status_activated', ['status', 'activatedAt'])
export class Registration {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  agentId: number;

  @ManyToOne(() => Agent, { nullable: false })
  @JoinColumn({ name: 'agentId' })
  agent?: Agent;

  @Field()
  @Column({ type: 'varchar', length: 11 })
  msisdn: string;

  @Field(() => Network)
  @EnumColumn(Network)
  network: Network;

  @Field(() => RegistrationStatus)
  @EnumColumn(RegistrationStatus)
  status: RegistrationStatus;

  @Field()
  @DateTimeColumn()
  openedAt: Date;

  @Field()
  @DateTimeColumn()
  submittedAt: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  activatedAt: Date | null;

  /** Comma-separated RegistrationFlag values ('' for none); `flagged` mirrors "has any" for indexes. */
  @Column({ type: 'varchar', length: 160, default: '' })
  flags: string;

  @Column({ type: 'boolean', default: false })
  flagged: boolean;
}
