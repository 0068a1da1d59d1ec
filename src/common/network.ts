import { registerEnumType } from 'type-graphql';

/** The two networks a number is on: shared by agents (records, tariff plans) and repair (handsets). */
export enum Network {
  CDMA = 'CDMA',
  GSM = 'GSM',
}
registerEnumType(Network, { name: 'Network', description: 'CDMA (C網) or GSM (G網)' });
