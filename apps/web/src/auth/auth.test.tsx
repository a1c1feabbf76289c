import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { LoginPage } from './LoginPage';

resetAfterEach();
const json = jsonResponse;

describe('login page', () => {
  it('shows the refusal, then hands the user over once the engine accepts', async () => {
    const answers = [
      json(401, { code: 'unauthorized', message: 'invalid username or password' }),
      json(200, { id: 'u1', username: 'alice', via: 'session', systemPermissions: [] }),
    ];
    const fetchMock = vi.fn(async (url: string) =>
      url.endsWith('/auth/providers') ? json(200, { local: true, oidc: null }) : answers.shift()!,
    );
    vi.stubGlobal('fetch', fetchMock);
    const onLoggedIn = vi.fn();
    render(<LoginPage onLoggedIn={onLoggedIn} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'alice' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(/invalid username or password/i),
    );
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'right-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() =>
      expect(onLoggedIn).toHaveBeenCalledWith(expect.objectContaining({ username: 'alice' })),
    );
    const logins = fetchMock.mock.calls.filter(([url]) => url.endsWith('/auth/login'));
    const [url, init] = logins[1] as unknown as [string, RequestInit];
    expect([url, init.method, JSON.parse(init.body as string)]).toEqual([
      '/api/v1/auth/login',
      'POST',
      { username: 'alice', password: 'right-password' },
    ]);
    expect(screen.queryByRole('link', { name: /Log in with/ })).toBeNull();
  });

  it('offers the identity provider when the engine has one', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        json(200, { local: true, oidc: { name: 'Corp SSO', loginUrl: '/api/v1/auth/oidc/login' } }),
      ),
    );
    render(<LoginPage onLoggedIn={vi.fn()} />);
    const link = await screen.findByRole('link', { name: 'Log in with Corp SSO' });
    expect(link.getAttribute('href')).toBe('/api/v1/auth/oidc/login');
  });

  it('says why a single sign-on login failed, from the code the engine sent back, and tidies the URL', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, { local: true, oidc: { name: 'Corp SSO', loginUrl: '/x' } })),
    );
    window.history.replaceState(null, '', '/login?login_error=username_taken');
    render(<LoginPage onLoggedIn={vi.fn()} />);
    expect(screen.getByRole('alert').textContent).toMatch(
      /already belongs to another Kelpie user\. An administrator must rename/,
    );
    await waitFor(() => expect(window.location.search).toBe(''));
    expect(window.location.pathname).toBe('/login');
  });

  it('an unknown code reads as a generic failure, not as raw text from the URL', () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, { local: true, oidc: null })),
    );
    window.history.replaceState(null, '', '/login?login_error=%3Cb%3Eowned%3C%2Fb%3E');
    render(<LoginPage onLoggedIn={vi.fn()} />);
    expect(screen.getByRole('alert').textContent).toBe(
      'The single sign-on login failed. Please try again; the engine logged the cause.',
    );
    window.history.replaceState(null, '', '/');
  });
});
