import { Field, Int, ObjectType } from 'type-graphql';
import { SafeInt } from '../../common/scalars';
import { LoanerPhone, LoanerStatus } from './loaner-phone.entity';

@ObjectType()
export class LoanerInputError {
  @Field({ description: 'The offending field, e.g. "input.3.serial"' })
  field: string;

  @Field()
  message: string;
}

@ObjectType()
export class LoanerRegistrationResult {
  @Field(() => Int, { description: 'Position of the item in the input list' })
  index: number;

  @Field(() => LoanerPhone, { nullable: true, description: 'The registered loaner; null when the item was rejected' })
  loaner: LoanerPhone | null;

  @Field(() => [LoanerInputError])
  errors: LoanerInputError[];
}

@ObjectType()
export class RegisterLoanerPhonesPayload {
  @Field(() => Int)
  registered: number;

  @Field(() => Int)
  rejected: number;

  @Field(() => [LoanerRegistrationResult])
  results: LoanerRegistrationResult[];
}

@ObjectType()
export class LoanerStatusCount {
  @Field(() => LoanerStatus)
  status: LoanerStatus;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class LoanerPartnerSummary {
  partnerId: number;

  @Field(() => Int, { description: 'Loaners the partner holds: allocated, on loan, in service or lost by it' })
  total: number;

  @Field(() => Int)
  allocated: number;

  @Field(() => Int)
  onLoan: number;

  @Field(() => Int)
  inService: number;

  @Field(() => Int)
  lost: number;

  @Field(() => Int, { description: 'Open loans past their due time' })
  overdueLoans: number;

  @Field(() => SafeInt, { description: 'Deposits the partner holds on open loans' })
  depositsHeldFen: number;
}

@ObjectType()
export class LoanerSummary {
  @Field(() => Int)
  total: number;

  @Field(() => [LoanerStatusCount])
  byStatus: LoanerStatusCount[];

  @Field(() => [LoanerPartnerSummary], { description: 'One row per partner holding loaners (a partner sees its own row only)' })
  partners: LoanerPartnerSummary[];
}
