import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render as rtlRender, screen, waitFor } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { ConfirmDialog } from './ConfirmDialog';
import { NameDialog } from './NameDialog';

afterEach(cleanup);

// The dialogs keep their busy/error state in a react-query mutation.
const Providers = ({ children }: { children: ReactNode }) => (
  <QueryClientProvider client={new QueryClient()}>{children}</QueryClientProvider>
);
const render = (ui: ReactElement) => rtlRender(ui, { wrapper: Providers });

const badName = new ApiError(400, {
  code: 'validation_failed',
  message: 'invalid request: name',
  details: [{ field: 'name', reason: 'must match ^[A-Za-z0-9][A-Za-z0-9._-]*$' }],
});

describe('NameDialog', () => {
  it('is a labelled dialog with the name field focused and prefilled', () => {
    render(
      <NameDialog
        title="Clone vm1"
        label="Name of the clone"
        initial="vm1-clone"
        submitLabel="Clone"
        onSubmit={vi.fn()}
        onClose={vi.fn()}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Clone vm1' });
    const input = screen.getByLabelText('Name of the clone');
    expect(dialog.contains(input)).toBe(true);
    expect(document.activeElement).toBe(input);
    expect((input as HTMLInputElement).value).toBe('vm1-clone');
  });

  it("shows the API's field error inline and stays open; closes once accepted", async () => {
    const onClose = vi.fn();
    const onSubmit = vi.fn().mockRejectedValueOnce(badName).mockResolvedValueOnce({});
    render(
      <NameDialog
        title="Snapshot vm1"
        label="Snapshot name"
        initial=""
        submitLabel="Take snapshot"
        onSubmit={onSubmit}
        onClose={onClose}
      />,
    );
    const input = screen.getByLabelText('Snapshot name');
    fireEvent.change(input, { target: { value: ' bad name ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Take snapshot' }));
    expect((await screen.findByRole('alert')).textContent).toBe('must match ^[A-Za-z0-9][A-Za-z0-9._-]*$');
    // Said once, at the field: not repeated as a generic message.
    expect(screen.queryByText(/invalid request: name/)).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).toHaveBeenCalledWith('bad name');
    expect(onClose).not.toHaveBeenCalled();

    fireEvent.change(input, { target: { value: 'good' } });
    fireEvent.click(screen.getByRole('button', { name: 'Take snapshot' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
  });

  it('Esc and Cancel close without sending', () => {
    const onClose = vi.fn();
    const onSubmit = vi.fn();
    render(
      <NameDialog
        title="T"
        label="Name"
        initial="x"
        submitLabel="OK"
        onSubmit={onSubmit}
        onClose={onClose}
      />,
    );
    fireEvent.keyDown(screen.getByLabelText('Name'), { key: 'Escape' });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledTimes(2);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe('ConfirmDialog', () => {
  it('describes the consequence, runs the action, and shows a refusal inline', async () => {
    const onClose = vi.fn();
    const onConfirm = vi
      .fn()
      .mockRejectedValue(
        new ApiError(409, { code: 'invalid_state', message: 'VM vm1 is up: power it off first' }),
      );
    render(
      <ConfirmDialog
        title="Delete vm1?"
        message={<p>Delete removes the VM with its disks.</p>}
        confirmLabel="Delete"
        danger
        onConfirm={onConfirm}
        onClose={onClose}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Delete vm1?' });
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toContain(
      'with its disks',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect((await screen.findByRole('alert')).textContent).toContain('VM vm1 is up: power it off first');
    expect(onClose).not.toHaveBeenCalled();
  });
});
