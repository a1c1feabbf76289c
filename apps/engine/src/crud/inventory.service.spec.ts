import { changedFields } from './inventory.service';

describe('changedFields', () => {
  it('lists only given fields whose value differs (deep, dates by instant)', () => {
    const entity = {
      name: 'a',
      description: '',
      bootOrder: ['hd'],
      policy: { a: 1 },
      at: new Date('2024-01-01T00:00:00Z'),
      vlanId: 5 as number | null,
    };
    expect(changedFields(entity, { name: 'a', description: undefined })).toEqual([]);
    expect(changedFields(entity, { name: 'b', bootOrder: ['hd'] })).toEqual(['name']);
    expect(changedFields(entity, { bootOrder: ['cdrom', 'hd'], policy: { a: 1 } })).toEqual(['bootOrder']);
    expect(changedFields(entity, { at: new Date('2024-01-01T00:00:00Z') })).toEqual([]);
    expect(changedFields(entity, { vlanId: null })).toEqual(['vlanId']);
  });
});
