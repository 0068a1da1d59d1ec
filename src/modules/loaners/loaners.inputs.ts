import { Field, ID, InputType } from 'type-graphql';
import { IsOptional, Matches, MaxLength } from 'class-validator';
import { SafeInt } from '../../common/scalars';
import { LoanerStatus } from './loaner-phone.entity';

/**
 * One handset to register. Checked item by item in the service (not by decorators), so that a bad
 * serial rejects that item with its reason and the good ones are still registered.
 */
@InputType()
export class LoanerPhoneInput {
  @Field({ description: 'IMEI (15 digits with its Luhn check digit) or MEID (14 hex digits, optionally with its check digit)' })
  serial: string;

  @Field()
  brand: string;

  @Field()
  model: string;
}

@InputType()
export class LendLoanerInput {
  @Field(() => ID)
  loanerId: string;

  @Field(() => ID, { description: 'An open repair order of the partner the loaner is allocated to' })
  repairOrderId: string;

  @Field(() => String, { nullable: true, description: "The borrower's mobile number; defaults to the repair order's" })
  @IsOptional()
  @Matches(/^1\d{10}$/, { message: 'must be an 11-digit mobile number starting with 1' })
  customerMsisdn?: string | null;

  @Field(() => SafeInt, { description: 'Deposit taken from the customer, in fen (0 for none)' })
  depositFen: number;

  @Field({ description: 'When the loaner is due back' })
  dueAt: Date;
}

@InputType()
export class LoanerPhoneFilter {
  @Field(() => LoanerStatus, { nullable: true })
  status?: LoanerStatus | null;

  @Field(() => ID, { nullable: true, description: 'Loaners held by this partner (a partner sees only its own)' })
  partnerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only loaners at the centre (no partner)' })
  atCentre?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(64)
  brand?: string | null;

  @Field(() => String, { nullable: true, description: 'Serial, or its beginning (spaces and dashes ignored)' })
  @IsOptional()
  @MaxLength(40)
  serial?: string | null;
}

@InputType()
export class LoanerLoanFilter {
  @Field(() => ID, { nullable: true })
  partnerId?: string | null;

  @Field(() => ID, { nullable: true })
  loanerId?: string | null;

  @Field(() => ID, { nullable: true })
  repairOrderId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: not yet returned; false: returned' })
  open?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true: open and past due' })
  overdue?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: still open although the repair order is RETURNED or CANCELLED (the customer kept the loaner)',
  })
  repairOrderClosed?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^1\d{10}$/, { message: 'must be an 11-digit mobile number starting with 1' })
  customerMsisdn?: string | null;
}
