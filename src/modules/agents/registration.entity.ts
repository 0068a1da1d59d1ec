import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Network } from '../../common/network';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, ValueTransformer } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { Agent } from './agent.entity';

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
  OBSOLETE_ID_CARD = 'OBSOLETE_ID_CARD',
  UNKNOWN_REGION_CODE = 'UNKNOWN_REGION_CODE',
}
registerEnumType(RegistrationFlag, {
  name: 'RegistrationFlag',
  description: 'Why a well-formed record looks suspicious',
  valuesConfig: {
    INVALID_ID_CHECKSUM: { description: "The resident id number's check character (ISO 7064 MOD 11-2) is wrong" },
    INVALID_BIRTH_DATE: { description: 'The birth date in the resident id number is not a real date, or is after the line was opened' },
    UNDERAGE: { description: 'The customer was under 16 when the line was opened' },
    ID_LINE_LIMIT_EXCEEDED: { description: 'The identity held more than 5 pending or active lines across all agents' },
    LATE_ENTRY: { description: 'Submitted more than 24 hours after the line was opened' },
    OBSOLETE_ID_CARD: {
      description: 'A first-generation (15-digit) resident id number on a line opened on or after 2013-01-01, when those cards ceased to be valid',
    },
    UNKNOWN_REGION_CODE: {
      description:
        'The first six digits of the resident id number cannot be a place: a province prefix GB/T 2260 never had, or (holders born from 2003 on) a division code of no edition since 2002-12',
    },
  },
});

/** The flags column: RegistrationFlag values joined by commas in the database, a list in code. */
const FLAGS_AS_LIST: ValueTransformer = {
  to: (value: unknown) => (Array.isArray(value) ? value.join(',') : value),
  from: (stored: string | null) => (stored ? stored.split(',') : []),
};

export enum IdType {
  RESIDENT_ID = 'RESIDENT_ID',
  PASSPORT = 'PASSPORT',
  HK_MACAO_PERMIT = 'HK_MACAO_PERMIT',
  TAIWAN_PERMIT = 'TAIWAN_PERMIT',
  MILITARY_ID = 'MILITARY_ID',
}
registerEnumType(IdType, {
  name: 'IdType',
  description: 'RESIDENT_ID: mainland resident identity card (18 characters, or 15 digits for first-generation cards)',
});

/** Statuses that hold the number and count towards the identity's line limit. */
export const LIVE_STATUSES = [RegistrationStatus.PENDING_ACTIVATION, RegistrationStatus.ACTIVE];

/**
 * A customer record an agent submitted. The identity number is never stored in plain text:
 * idCipher is AES-256-GCM under the key idKeyId, idHash an HMAC-SHA-256 for equality lookups, and
 * idMasked what most readers see (see identity-crypto.ts).
 */
@ObjectType()
@Entity('registration')
@Index('idx_registration_agent', ['agentId', 'id'])
// agentId last: settlement groups one month's activations by agent from the index alone.
@Index('idx_registration_status_activated', ['status', 'activatedAt', 'agentId'])
// A statement counts the activations it pays (by agent, late or not) from the index alone, and the
// claim of late activations reads only the unclaimed rows of closed months.
@Index('idx_registration_commission', ['commissionPeriod', 'activatedAt', 'agentId'])
// Sampling reads a month's candidates (status, flagged, agent) from the index alone.
@Index('idx_registration_opened', ['openedAt', 'status', 'flagged', 'agentId'])
@Index('idx_registration_id_hash', ['idHash'])
// One index for a number's history and for "one live line per number": activeMsisdn is null once
// a record is closed, and a unique index admits any number of nulls.
@Index('uq_registration_msisdn_live', ['msisdn', 'activeMsisdn'], { unique: true })
@Index('idx_registration_key', ['idKeyId', 'id'])
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

  @Field()
  @Column({ type: 'varchar', length: 64 })
  customerName: string;

  @Field(() => IdType)
  @EnumColumn(IdType)
  idType: IdType;

  /** base64(iv ‖ tag ‖ ciphertext) */
  @Column({ type: 'varchar', length: 96 })
  idCipher: string;

  @Column({ type: 'varchar', length: 32 })
  idKeyId: string;

  /**
   * base64url of the first 128 bits of HMAC-SHA-256 of the normalized number under ID_HMAC_KEY; a
   * 15-digit resident number is hashed in its 18-character form (canonicalResidentId).
   */
  @Column({ type: 'varchar', length: 44 })
  idHash: string;

  @Field({ name: 'idNumberMasked', description: 'First and last 4 characters kept, the rest starred' })
  @Column({ type: 'varchar', length: 20 })
  idMasked: string;

  @Field()
  @Column({ type: 'varchar', length: 32 })
  tariffPlanCode: string;

  @Field(() => RegistrationStatus)
  @EnumColumn(RegistrationStatus)
  status: RegistrationStatus;

  @Field(() => String, { nullable: true, description: 'Why it was rejected or cancelled' })
  @Column({ type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  statusChangedAt: Date | null;

  @Field({ description: 'When the agent opened the line for the customer' })
  @DateTimeColumn()
  openedAt: Date;

  @Field({ description: 'When the record reached the platform' })
  @DateTimeColumn()
  submittedAt: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  activatedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      '"YYYY-MM": the commission period whose statement pays this activation. The month of activatedAt (Asia/Shanghai), set when the activation ' +
      "is written (on Galera, by its month's settlement), or, for an activation that arrived after its month was closed, the first open period settled afterwards (audits README)",
  })
  @Column({ type: 'varchar', length: 7, nullable: true })
  commissionPeriod: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Seconds from submission to activation (the service-extension measure); null until activated, or when an imported line was activated before its record was entered',
  })
  @Column({ type: 'int', nullable: true })
  activationSeconds: number | null;

  /**
   * Stored comma-separated ('' for none); `flagged` mirrors "has any" for indexes. Split when the
   * row is read, so the field is a plain value: a resolver per record (150 on a page of agents
   * with their latest records, each with its resolve info) showed in the allocation profile.
   */
  @Field(() => [RegistrationFlag])
  @Column({ type: 'varchar', length: 160, default: '', transformer: FLAGS_AS_LIST })
  flags: RegistrationFlag[];

  @Column({ type: 'boolean', default: false })
  flagged: boolean;

  /** The msisdn while the record is pending or active, else null (see uq_registration_msisdn_live). */
  @Column({ type: 'varchar', length: 11, nullable: true })
  activeMsisdn: string | null;
}
