import { loadConfig } from '../../src/config';
import { parseRuntimeOff, RUNTIME_MECHANISMS } from '../../src/runtime/switches';

describe('RUNTIME_OFF', () => {
  it('names the mechanisms to switch off, or all of them', () => {
    expect([...parseRuntimeOff('prepared, projection')]).toEqual(['prepared', 'projection']);
    expect(parseRuntimeOff('all').size).toBe(RUNTIME_MECHANISMS.length);
    expect(parseRuntimeOff(undefined).size).toBe(0);
  });

  it('refuses an unknown name, naming the variable and the known ones', () => {
    expect(() => parseRuntimeOff('prepared,warp')).toThrow(/RUNTIME_OFF: unknown mechanism "warp" \(known: fastPost, jit/);
    expect(() => loadConfig({ NODE_ENV: 'test', RUNTIME_OFF: 'warp' })).toThrow(/RUNTIME_OFF/);
  });

  it('jit is the same switch as GRAPHQL_JIT=false', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).graphqlJit).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', RUNTIME_OFF: 'jit' }).graphqlJit).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', GRAPHQL_JIT: 'false' }).graphqlJit).toBe(false);
  });
});
