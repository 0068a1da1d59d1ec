import type { FeatureModule } from '../module';
import { IdentityConflict } from './identity.errors';
import { LoginAttempt } from './login-attempt.entity';
import { LoginCounter } from './login-counter.entity';
import { User } from './user.entity';
import { UserResolver } from './user.resolver';

export const identityModule: FeatureModule = {
  name: 'identity',
  conflictReasons: IdentityConflict,
  entities: [User, LoginAttempt, LoginCounter],
  resolvers: [UserResolver],
};
