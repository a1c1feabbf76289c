import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ABSOLUTE_PATH, IsHostAddress, IsName } from './validators';

class Probe {
  @IsName() name!: string;
  @IsHostAddress() address!: string;
}
const invalid = (o: Partial<Probe>) =>
  validateSync(plainToInstance(Probe, { name: 'ok', address: 'h1', ...o })).map((e) => e.property);

describe('validators', () => {
  it('names: 1-64 of [A-Za-z0-9_.-]', () => {
    expect(invalid({ name: 'web-01.prod_a' })).toEqual([]);
    for (const bad of ['', 'a b', 'a<b', "a'b", 'a;b', '../x', 'a\u0000', 'x'.repeat(65), 'é']) {
      expect(invalid({ name: bad })).toEqual(['name']);
    }
  });

  it('host addresses: DNS names and IPs only', () => {
    for (const ok of ['h1', 'node1.example.com', '192.0.2.1', '2001:db8::1'])
      expect(invalid({ address: ok })).toEqual([]);
    for (const bad of ['h;1', 'a b', '-x', 'x..y', 'http://x', ''])
      expect(invalid({ address: bad })).toEqual(['address']);
  });

  it('absolute paths without traversal or shell characters', () => {
    for (const ok of ['/', '/var/lib/kelpie', '/srv/a.b/c-d_e']) expect(ABSOLUTE_PATH.test(ok)).toBe(true);
    for (const bad of ['rel', '/a/../b', '/..', '/a/.', '/a;b', '/a b', '/$(x)', '/a\nb'])
      expect(ABSOLUTE_PATH.test(bad)).toBe(false);
  });
});
