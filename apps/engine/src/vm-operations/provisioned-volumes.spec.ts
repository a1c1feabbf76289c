import { ErrorCode } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { assertProvisionedVolumesExist } from './provisioned-volumes';

const sd = { id: 'sd1', name: 'shared', path: '/srv/shared' };
const disk = (name: string, provisioned: boolean) => ({
  id: `id-${name}`,
  name,
  volumePath: `/srv/shared/${name}.qcow2`,
  provisionedAt: provisioned ? new Date('2026-12-01T00:00:00Z') : null,
  storageDomainId: sd.id,
});

describe('assertProvisionedVolumesExist', () => {
  it('refuses with 422 naming the disk and its storage domain when a provisioned volume is missing', async () => {
    const err = await assertProvisionedVolumesExist(
      'vm1',
      [disk('data', true), disk('new', false)],
      [sd],
      async (paths) => paths.filter((p) => p.endsWith('.qcow2')),
    ).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.Unprocessable);
    expect((err as DomainError).message).toContain(
      'disk data (/srv/shared/data.qcow2) on storage domain shared',
    );
    expect((err as DomainError).details!.map((d) => d.ref?.name)).toEqual(['data', 'shared']);
  });

  it('asks nothing when no disk was ever provisioned (they are created fresh)', async () => {
    const missing = jest.fn(async () => ['/srv/shared/new.qcow2']);
    await assertProvisionedVolumesExist('vm1', [disk('new', false)], [sd], missing);
    expect(missing).not.toHaveBeenCalled();
  });

  it('does not judge volumes of a storage directory the host lacks altogether', async () => {
    await expect(
      assertProvisionedVolumesExist('vm1', [disk('data', true)], [sd], async (paths) => paths),
    ).resolves.toBeUndefined();
  });

  it('passes when every provisioned volume is there', async () => {
    await expect(
      assertProvisionedVolumesExist('vm1', [disk('data', true)], [sd], async () => []),
    ).resolves.toBeUndefined();
  });
});
