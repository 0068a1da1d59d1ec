import { DataSource } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function createPartsLoaders(ds: DataSource) {
  return {};
}
