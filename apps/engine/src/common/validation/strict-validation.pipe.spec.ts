import { isReservedKey, reservedKeyPaths } from './strict-validation.pipe';

describe('reserved keys', () => {
  it('names every key inherited from Object.prototype, and prototype', () => {
    for (const k of ['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'])
      expect(isReservedKey(k)).toBe(true);
    for (const k of ['name', 'disks', 'proto', 'constructorId', 'Constructor'])
      expect(isReservedKey(k)).toBe(false);
  });

  it('finds them at any depth, in arrays too, as dotted paths', () => {
    const body = JSON.parse(
      '{"name":"v","constructor":{"x":1},"disks":[{"size":1},{"__proto__":{"admin":true}}],"boot":{"prototype":1}}',
    );
    expect(reservedKeyPaths(body).sort()).toEqual(['boot.prototype', 'constructor', 'disks.1.__proto__']);
    expect(reservedKeyPaths({ a: { b: [1, 'x', null] } })).toEqual([]);
    expect(reservedKeyPaths('text')).toEqual([]);
  });
});
