// The MySQL/MariaDB schema, in order. Listed here (not globbed) so that ts-jest, ts-node and the
// compiled build all load the same classes.
import { Foundation1795857761925 } from './1795857761925-Foundation';
import { CoreEntities1795857904627 } from './1795857904627-CoreEntities';
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [Foundation1795857761925, CoreEntities1795857904627];
