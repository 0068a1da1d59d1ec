import { Field, Int, ObjectType } from 'type-graphql';
import { Registration } from './registration.entity';

@ObjectType()
export class RegistrationFieldError {
  @Field({ description: 'Path of the field, e.g. records.3.msisdn' })
  field: string;

  @Field()
  message: string;
}

@ObjectType()
export class RegistrationResult {
  @Field(() => Int, { description: "Position of the record in the call's records" })
  index: number;

  @Field(() => Registration, { nullable: true, description: 'The stored record (with its flags); null when rejected' })
  registration: Registration | null;

  @Field(() => [RegistrationFieldError])
  errors: RegistrationFieldError[];
}

@ObjectType()
export class SubmitRegistrationsPayload {
  @Field(() => Int)
  accepted: number;

  @Field(() => Int)
  rejected: number;

  @Field(() => [RegistrationResult], { description: 'One result per record, in the order sent' })
  results: RegistrationResult[];
}

@ObjectType({ description: 'How fast submitted records were activated (the "service extension" measure)' })
export class ActivationStats {
  @Field()
  period: string;

  @Field(() => Int, { description: 'Lines activated in the period whose submission-to-activation time is known' })
  activated: number;

  @Field(() => Int, { nullable: true })
  averageSeconds: number | null;

  @Field(() => Int, { nullable: true })
  maxSeconds: number | null;

  @Field(() => Int)
  withinOneHour: number;

  @Field(() => Int)
  withinOneDay: number;
}

@ObjectType()
export class IdentityKeyRotationResult {
  @Field(() => Int, { description: 'Records re-encrypted under the active key by this call' })
  reencrypted: number;

  @Field(() => Int, { description: 'Records still under another key; call again until 0' })
  remaining: number;

  @Field()
  activeKeyId: string;
}
