import { describe, expect, it } from 'vitest';
import { readSettings, registryPath } from '../../../../shared/runtime/aws/config.js';

describe('readSettings', () => {
  it('reads and types the variables a function asks for, with defaults', () => {
    const settings = readSettings(
      { GLASSWATCH_TABLE: 'incidents', GLASSWATCH_SWEEP_REGIONS: ' us-east-1, eu-west-1 ,' },
      ['GLASSWATCH_TABLE', 'GLASSWATCH_SWEEP_REGIONS', 'GLASSWATCH_SWEEP_WINDOW_MINUTES'],
    );
    expect(settings).toEqual({
      GLASSWATCH_TABLE: 'incidents',
      GLASSWATCH_SWEEP_REGIONS: ['us-east-1', 'eu-west-1'],
      GLASSWATCH_SWEEP_WINDOW_MINUTES: 90,
    });
  });

  it('fails at once naming every missing or invalid variable', () => {
    expect(() =>
      readSettings({ GLASSWATCH_SWEEP_REGIONS: 'us-east-1,Frankfurt', GLASSWATCH_SWEEP_WINDOW_MINUTES: '0' }, [
        'GLASSWATCH_TABLE',
        'GLASSWATCH_SWEEP_REGIONS',
        'GLASSWATCH_SWEEP_WINDOW_MINUTES',
      ]),
    ).toThrow(
      'Lambda configuration invalid:\n' +
        '  - GLASSWATCH_TABLE: must be set\n' +
        '  - GLASSWATCH_SWEEP_REGIONS: an AWS Region name such as eu-west-1\n' +
        '  - GLASSWATCH_SWEEP_WINDOW_MINUTES: Too small: expected number to be >=1',
    );
  });
});

describe('registryPath', () => {
  it('is the registry.json the build puts beside the bundle, unless GLASSWATCH_REGISTRY_PATH says otherwise', () => {
    expect(registryPath({ LAMBDA_TASK_ROOT: '/var/task' })).toBe('/var/task/registry.json');
    expect(registryPath({ LAMBDA_TASK_ROOT: '/var/task', GLASSWATCH_REGISTRY_PATH: '/tmp/r.json' })).toBe(
      '/tmp/r.json',
    );
    expect(() => registryPath({})).toThrow(/GLASSWATCH_REGISTRY_PATH: must be set outside Lambda/);
  });
});
