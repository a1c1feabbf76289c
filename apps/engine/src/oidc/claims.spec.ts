import { groupsFrom, usernameFrom } from './claims';

const base = { iss: 'https://idp.example.com', sub: 'f00-ba7' };

describe('claims of an OpenID Connect login', () => {
  it('takes the username from the configured claim, then email, then subject', () => {
    expect(usernameFrom({ ...base, preferred_username: 'alice' }, 'preferred_username')).toBe('alice');
    expect(usernameFrom({ ...base, email: 'a@example.com' }, 'preferred_username')).toBe('a@example.com');
    expect(usernameFrom({ ...base, preferred_username: '  ' }, 'preferred_username')).toBe('f00-ba7');
    expect(usernameFrom({ ...base, upn: 'Alice Smith/x' }, 'upn')).toBe('Alice_Smith_x');
    expect(usernameFrom({ ...base, upn: 'x'.repeat(80) }, 'upn')).toHaveLength(64);
  });

  it('reads the groups claim as an array or a string, with group paths by their last segment', () => {
    expect([...groupsFrom({ ...base, groups: ['ops', '/corp/admins', 7] }, 'groups')]).toEqual([
      'ops',
      '/corp/admins',
      'admins',
    ]);
    expect([...groupsFrom({ ...base, roles: 'ops' }, 'roles')]).toEqual(['ops']);
    expect(groupsFrom(base, 'groups').size).toBe(0);
  });
});
