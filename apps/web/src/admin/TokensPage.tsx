import type { ApiTokenInfo, CreatedApiToken, TokenScope } from '@kelpie/shared-types';
import { timeColumn } from '../lists/columns';
import { useId, useState } from 'react';
import { fmtTime } from '../components/format';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { Dialog } from '../dialogs/Dialog';
import { NumberField, SelectField, TextField } from '../forms/fields';
import { ListPage } from '../lists/ListPage';
import type { Column } from '../lists/VirtualTable';
import { adminApi, adminKeys } from './adminApi';
import { useAdminList } from './useAdminList';
import { GuardedButton } from '../components/GuardedButton';
import { FormDialog } from '../dialogs/FormDialog';

function tokenState(t: ApiTokenInfo, now = Date.now()): 'revoked' | 'expired' | 'active' {
  if (t.revokedAt) return 'revoked';
  return Date.parse(t.expiresAt) <= now ? 'expired' : 'active';
}

/** The caller's own API tokens (for scripts): create — the secret is shown once —, list, revoke. */
export function TokensPage() {
  const { filter, set, rows, refresh } = useAdminList(adminKeys.tokens, adminApi.tokens, (t) => t.name);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenInfo | null>(null);
  const columns: Column<ApiTokenInfo>[] = [
    {
      key: 'name',
      header: 'Name',
      width: 'minmax(140px, 1fr)',
      render: (t) => <span className="strong">{t.name}</span>,
    },
    {
      key: 'scope',
      header: 'Scope',
      width: '120px',
      render: (t) => (t.scope === 'read-only' ? 'read-only' : 'my roles'),
    },
    {
      key: 'state',
      header: 'State',
      width: '100px',
      render: (t) => {
        const s = tokenState(t);
        return <span className={`tag${s === 'active' ? ' ok' : ' warn'}`}>{s}</span>;
      },
    },
    timeColumn('created', 'Created', (t) => t.createdAt),
    timeColumn('expires', 'Expires', (t) => t.expiresAt),
    {
      key: 'used',
      header: 'Last used',
      width: '170px',
      render: (t) => (t.lastUsedAt ? fmtTime(t.lastUsedAt) : 'never'),
    },
    {
      key: 'actions',
      header: 'Actions',
      width: '110px',
      render: (t) => (
        <GuardedButton
          reason={tokenState(t) === 'active' ? null : `This token is already ${tokenState(t)}.`}
          danger
          onClick={() => setRevoking(t)}
        >
          Revoke
        </GuardedButton>
      ),
    },
  ];
  return (
    <ListPage
      title="API tokens"
      noun="API tokens"
      rows={rows}
      columns={columns}
      filter={filter}
      set={set}
      search="Search tokens"
      actions={
        <button type="button" className="button primary" onClick={() => setCreating(true)}>
          New token
        </button>
      }
    >
      {creating && (
        <CreateTokenDialog
          onCreated={(t) => {
            setCreated(t);
            refresh();
          }}
          onClose={() => setCreating(false)}
        />
      )}
      {created && <TokenSecretDialog token={created} onClose={() => setCreated(null)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke token ${revoking.name}?`}
          message={<p>Scripts using it are refused from now on.</p>}
          confirmLabel="Revoke"
          danger
          onConfirm={() => adminApi.revokeToken(revoking.id).then(refresh)}
          onClose={() => setRevoking(null)}
        />
      )}
    </ListPage>
  );
}

const SCOPES: { value: TokenScope; label: string }[] = [
  { value: 'read-only', label: 'Read-only (view what I can see)' },
  { value: 'roles', label: 'My roles (act as me)' },
];

function CreateTokenDialog({
  onCreated,
  onClose,
}: {
  onCreated: (t: CreatedApiToken) => void;
  onClose: () => void;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read-only');
  const [days, setDays] = useState('30');
  return (
    <FormDialog
      title="New API token"
      submit="Create token"
      fields={['name', 'scope', 'expiresInDays']}
      onSubmit={async () =>
        onCreated((await adminApi.createToken({ name, scope, expiresInDays: Number(days) })).body)
      }
      onClose={onClose}
    >
      {(errors) => (
        <>
          <TextField
            id={`${id}-n`}
            label="Name"
            value={name}
            onChange={setName}
            placeholder="backup script"
            error={errors.name}
          />
          <SelectField
            id={`${id}-s`}
            label="Scope"
            value={scope}
            options={SCOPES}
            onChange={(v) => v && setScope(v)}
            error={errors.scope}
          />
          <NumberField
            id={`${id}-e`}
            label="Expires in (days)"
            value={days}
            onChange={setDays}
            hint="1 to 365"
            error={errors.expiresInDays}
          />
        </>
      )}
    </FormDialog>
  );
}

/** The secret, this once: the engine keeps only its hash. */
function TokenSecretDialog({ token, onClose }: { token: CreatedApiToken; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog title={`Token ${token.name} created`} onClose={onClose}>
      <p>
        Copy it now: it is shown only this once. Send it as <code>Authorization: Bearer …</code>.
      </p>
      <p>
        <code className="secret" aria-label="New token">
          {token.token}
        </code>
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          onClick={() => void navigator.clipboard?.writeText(token.token).then(() => setCopied(true))}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button primary" data-autofocus onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
