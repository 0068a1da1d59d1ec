import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../../common/columns';
import { HandsetBrand } from './handset.entity';
import { RepairPartner } from './repair-partner.entity';

export enum GrantedVia {
  MANUFACTURER = 'MANUFACTURER',
  DISTRIBUTOR = 'DISTRIBUTOR',
}
registerEnumType(GrantedVia, { name: 'GrantedVia', description: 'Who issued the certificate: the maker itself or its distributor (e.g. in Wuhan)' });

export enum AuthorizationStatus {
  /** validFrom <= now < validTo and not revoked */
  VALID = 'VALID',
  NOT_YET_VALID = 'NOT_YET_VALID',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(AuthorizationStatus, { name: 'AuthorizationStatus' });

/** A manufacturer's repair authorization (廠家維修授權) of one partner for one brand. */
@ObjectType()
@Entity('brand_authorization')
@Index('uq_brand_authorization_certificate', ['brandId', 'certificateNo'], { unique: true })
@Index('idx_brand_authorization_partner', ['partnerId', 'brandId', 'validTo'])
@Index('idx_brand_authorization_brand', ['brandId', 'validTo'])
@Index('idx_brand_authorization_valid_to', ['validTo', 'id'])
export class BrandAuthorization {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  partnerId: number;

  @ManyToOne(() => RepairPartner, { nullable: false })
  @JoinColumn({ name: 'partnerId' })
  partner?: RepairPartner;

  @Column({ type: 'int' })
  brandId: number;

  @ManyToOne(() => HandsetBrand, { nullable: false })
  @JoinColumn({ name: 'brandId' })
  brandRef?: HandsetBrand;

  @Field()
  @Column({ type: 'varchar', length: 64 })
  certificateNo: string;

  @Field(() => GrantedVia)
  @EnumColumn(GrantedVia)
  grantedVia: GrantedVia;

  @Field(() => String, { nullable: true, description: 'The manufacturer or distributor that issued it' })
  @Column({ type: 'varchar', length: 128, nullable: true })
  grantorName: string | null;

  @Field()
  @DateTimeColumn()
  validFrom: Date;

  @Field({ description: 'The first instant it is no longer valid' })
  @DateTimeColumn()
  validTo: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  revokedAt: Date | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 255, nullable: true })
  revokeReason: string | null;

  @Column({ type: 'int', nullable: true })
  revokedById: number | null;

  @Column({ type: 'int', nullable: true })
  grantedById: number | null;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}

export function authorizationStatus(a: Pick<BrandAuthorization, 'validFrom' | 'validTo' | 'revokedAt'>, now = new Date()): AuthorizationStatus {
  if (a.revokedAt) return AuthorizationStatus.REVOKED;
  if (now < a.validFrom) return AuthorizationStatus.NOT_YET_VALID;
  if (now >= a.validTo) return AuthorizationStatus.EXPIRED;
  return AuthorizationStatus.VALID;
}
