import { ArrayMaxSize, IsOptional, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Network } from '../../common/network';
import { Field, ID, InputType } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import { AuthorizationStatus, GrantedVia } from './brand-authorization.entity';
import { EquipmentStatus } from './equipment.entity';
import { RepairOrderStatus } from './repair-order.entity';
import { PartnerStatus } from './repair-partner.entity';

const PHONE = /^[0-9+()\- ]{5,32}$/;

@InputType()
export class PartnerContactInput {
  @Field()
  @Length(1, 64)
  name: string;

  @Field()
  @Matches(PHONE, { message: 'must be a phone number (digits, spaces, + - ( ))' })
  phone: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  title?: string | null;

  @Field({ nullable: true, defaultValue: false })
  primary?: boolean;
}

@InputType()
export class CreateRepairPartnerInput {
  @Field({ description: 'e.g. RP-07; upper-case letters, digits and dashes' })
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,31}$/, { message: 'must be 2 to 32 upper-case letters, digits or dashes' })
  code: string;

  @Field()
  @Length(1, 128)
  name: string;

  @Field()
  regionCode: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  address?: string | null;

  @Field({ nullable: true, defaultValue: false })
  premisesProvided?: boolean;

  @Field(() => SafeInt, { nullable: true, defaultValue: 0 })
  monthlyWageSubsidyFen?: number;

  @Field(() => [PartnerContactInput], { nullable: true, description: 'At most 20 contacts' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  contacts?: PartnerContactInput[] | null;
}

@InputType({ description: 'Only the fields given change; contacts, when given, replace the list' })
export class UpdateRepairPartnerInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 128)
  name?: string;

  @Field({ nullable: true })
  regionCode?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  address?: string | null;

  @Field({ nullable: true })
  premisesProvided?: boolean;

  @Field(() => SafeInt, { nullable: true })
  monthlyWageSubsidyFen?: number;

  @Field(() => [PartnerContactInput], { nullable: true, description: 'At most 20 contacts' })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  contacts?: PartnerContactInput[] | null;
}

@InputType()
export class RepairPartnerFilter {
  @Field({ nullable: true })
  regionCode?: string;

  @Field(() => PartnerStatus, { nullable: true })
  status?: PartnerStatus;

  @Field({ nullable: true, description: 'Part of the code or name' })
  search?: string;
}

@InputType()
export class CreateHandsetBrandInput {
  @Field()
  @Matches(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, { message: 'must be up to 32 upper-case letters, digits, _ or -' })
  code: string;

  @Field()
  @Length(1, 64)
  name: string;
}

@InputType()
export class CreateHandsetModelInput {
  @Field({ description: 'Brand code or name' })
  brand: string;

  @Field()
  @Length(1, 64)
  name: string;

  @Field(() => Network)
  network: Network;
}

@InputType()
export class GrantBrandAuthorizationInput {
  @Field({ description: 'Brand code or name' })
  brand: string;

  @Field()
  @Length(1, 64)
  certificateNo: string;

  @Field()
  validFrom: Date;

  @Field({ description: 'The first instant it is no longer valid' })
  validTo: Date;

  @Field(() => GrantedVia)
  grantedVia: GrantedVia;

  @Field(() => String, { nullable: true, description: 'The manufacturer or distributor that issued it' })
  @IsOptional()
  @MaxLength(128)
  grantorName?: string | null;
}

@InputType()
export class BrandAuthorizationFilter {
  @Field(() => ID, { nullable: true })
  partnerId?: string;

  @Field({ nullable: true, description: 'Brand code or name' })
  brand?: string;

  @Field(() => AuthorizationStatus, { nullable: true, description: 'As of now' })
  status?: AuthorizationStatus;
}

@InputType()
export class RegisterEquipmentInput {
  @Field()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, { message: 'must be up to 32 letters, digits or dashes' })
  assetTag: string;

  @Field()
  @Length(1, 64)
  kind: string;

  @Field(() => SafeInt)
  valueFen: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  description?: string | null;
}

@InputType()
export class EquipmentFilter {
  @Field(() => ID, { nullable: true, description: 'Held by this partner now' })
  custodianPartnerId?: string;

  @Field(() => EquipmentStatus, { nullable: true })
  status?: EquipmentStatus;

  @Field({ nullable: true })
  kind?: string;

  @Field({ nullable: true, description: 'Part of the asset tag or description' })
  search?: string;
}

@InputType()
export class RepairPriceFilter {
  @Field(() => ID, { nullable: true })
  partnerId?: string;

  @Field({ nullable: true })
  serviceType?: string;
}

@InputType()
export class OpenRepairOrderInput {
  @Field(() => ID, { nullable: true, description: 'Left out by a REPAIR_PARTNER: its own' })
  partnerId?: string | null;

  @Field()
  customerMsisdn: string;

  @Field({ description: 'Brand code or name (see handsetBrands)' })
  brand: string;

  @Field()
  @Length(1, 64)
  model: string;

  @Field({ description: 'IMEI (GSM) or MEID (CDMA)' })
  serial: string;

  @Field()
  @Length(1, 500)
  fault: string;

  @Field({ nullable: true, defaultValue: false })
  underWarranty?: boolean;

  @Field(() => String, { nullable: true, description: 'The main repair expected (a service type code), if known' })
  serviceType?: string | null;

  @Field({ nullable: true, defaultValue: false, description: 'AFTERSALES_STAFF only: open although the partner holds no valid authorization for the brand' })
  outOfAuthorization?: boolean;

  @Field(() => String, { nullable: true, description: 'Required with outOfAuthorization' })
  @IsOptional()
  @MaxLength(255)
  outOfAuthorizationReason?: string | null;
}

@InputType()
export class RepairOrderFilter {
  @Field(() => ID, { nullable: true })
  partnerId?: string;

  @Field(() => RepairOrderStatus, { nullable: true })
  status?: RepairOrderStatus;

  @Field({ nullable: true, description: 'true: RECEIVED to READY; false: RETURNED or CANCELLED' })
  open?: boolean;

  @Field({ nullable: true, description: 'Brand code or name' })
  brand?: string;

  @Field({ nullable: true })
  customerMsisdn?: string;

  @Field({ nullable: true })
  serial?: string;

  @Field({ nullable: true })
  outOfAuthorization?: boolean;

  @Field({ nullable: true, description: 'Opened at or after' })
  openedFrom?: Date;

  @Field({ nullable: true, description: 'Opened before' })
  openedTo?: Date;
}

@InputType()
export class TurnaroundFilter {
  @Field({ nullable: true, description: 'First month "YYYY-MM" (orders that became READY in it)' })
  from?: string;

  @Field({ nullable: true, description: 'Last month "YYYY-MM"' })
  to?: string;

  @Field({ nullable: true })
  regionCode?: string;
}
