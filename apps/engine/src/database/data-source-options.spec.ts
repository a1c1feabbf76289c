import { dataSourceOptions } from './data-source-options';

describe('dataSourceOptions', () => {
  it('hands the configured pool size to pg (its own default is 10)', () => {
    expect(dataSourceOptions('postgres://k@db/k', 24)).toMatchObject({ extra: { max: 24 } });
    expect(dataSourceOptions('postgres://k@db/k')).not.toHaveProperty('extra');
  });
});
