import type { PowerManagement, PowerManagementInput } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { FormDialog } from '../dialogs/FormDialog';
import { CheckboxField, NumberField, TextField } from '../forms/fields';
import { typedNumber } from '../forms/typedNumber';
import { useSavePowerManagement } from './powerManagementApi';

const FIELDS = ['address', 'port', 'username', 'password', 'lanplus', 'cipher'] as const;

/** The body the form sends: empty optional fields are left out (the engine keeps its defaults and,
 * without a password, the stored one); numbers stay as typed when not numbers, so the engine's
 * reason reaches the field. */
export function powerManagementBody(form: {
  address: string;
  port: string;
  username: string;
  password: string;
  lanplus: boolean;
  cipher: string;
}): PowerManagementInput {
  return {
    type: 'ipmilan',
    address: form.address.trim(),
    username: form.username,
    lanplus: form.lanplus,
    ...(form.port.trim() ? { port: typedNumber(form.port) } : {}),
    ...(form.password ? { password: form.password } : {}),
    ...(form.cipher.trim() ? { cipher: typedNumber(form.cipher) } : {}),
  };
}

/** Sets or edits a host's BMC (IPMI over LAN). The password is write-only: left empty on an edit,
 * the stored one is kept. */
export function PowerManagementDialog({
  hostId,
  hostName,
  current,
  onClose,
}: {
  hostId: string;
  hostName: string;
  current: PowerManagement | null;
  onClose: () => void;
}) {
  const [address, setAddress] = useState(current?.address ?? '');
  const [port, setPort] = useState(String(current?.port ?? 623));
  const [username, setUsername] = useState(current?.username ?? '');
  const [password, setPassword] = useState('');
  const [lanplus, setLanplus] = useState(current?.lanplus ?? true);
  const [cipher, setCipher] = useState(current?.cipher === null || !current ? '' : String(current.cipher));
  const save = useSavePowerManagement(hostId, hostName);
  const id = useId();
  return (
    <FormDialog
      title={`Power management of ${hostName}`}
      submit="Save"
      fields={FIELDS}
      onSubmit={() =>
        save.mutateAsync(powerManagementBody({ address, port, username, password, lanplus, cipher }))
      }
      onClose={onClose}
    >
      {(errors) => (
        <>
          <p className="muted">
            IPMI over LAN (fence_ipmilan). With it, a host that stops answering can be powered off and on
            through its BMC, and its highly available VMs restarted elsewhere.
          </p>
          <TextField
            id={`${id}-address`}
            label="BMC address"
            hint="The BMC's own address, not the host's."
            value={address}
            error={errors.address}
            onChange={setAddress}
          />
          <NumberField id={`${id}-port`} label="Port" value={port} error={errors.port} onChange={setPort} />
          <TextField
            id={`${id}-username`}
            label="User"
            value={username}
            autoComplete="off"
            error={errors.username}
            onChange={setUsername}
          />
          <TextField
            id={`${id}-password`}
            label="Password"
            type="password"
            autoComplete="new-password"
            hint={current?.passwordSet ? 'A password is stored; leave empty to keep it.' : undefined}
            value={password}
            error={errors.password}
            onChange={setPassword}
          />
          <CheckboxField
            id={`${id}-lanplus`}
            label="IPMI 2.0 (lanplus)"
            checked={lanplus}
            error={errors.lanplus}
            onChange={setLanplus}
          />
          <NumberField
            id={`${id}-cipher`}
            label="Cipher suite"
            hint="Empty: discovered."
            value={cipher}
            error={errors.cipher}
            onChange={setCipher}
          />
        </>
      )}
    </FormDialog>
  );
}
