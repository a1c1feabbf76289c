import { cp, fakeCtx, fakeProbe, fakeTasks, HOST, VM_ID } from '../vm-guard/adoption.fakes';
import type { VmGuard } from '../vm-guard/vm-guard.service';
import { TemplateAdoption } from './template-adoption';
import type { TemplatesService } from './templates.service';

/** Unit: how a make-template task of a dead engine ends. */
function make(isTemplate: boolean, rename: () => Promise<void> = async () => undefined) {
  const ops = { vm: jest.fn(async () => ({ id: VM_ID, name: 'golden', isTemplate })) };
  const templates = { renameDomain: jest.fn(rename), announce: jest.fn(async () => undefined) };
  const adopter = new TemplateAdoption(
    fakeTasks(),
    fakeProbe({}),
    ops as unknown as VmGuard,
    templates as unknown as TemplatesService,
  );
  return { adopter, templates };
}
const converting = (name: string | null) =>
  cp('converting', {
    name,
    hostId: name ? HOST.id : null,
    before: { name: 'vm1', description: '' },
    fields: name ? ['isTemplate', 'name'] : ['isTemplate'],
  });

describe('make-template adopter', () => {
  it('not converted when the engine died → failed, nothing changed', async () => {
    await expect(make(false).adopter.adopt(fakeCtx('vm.make-template'), converting(null))).rejects.toThrow(
      /before VM golden was made a template; nothing changed/,
    );
  });

  it('converted, no rename → succeeded', async () => {
    const { adopter, templates } = make(true);
    await expect(adopter.adopt(fakeCtx('vm.make-template'), converting(null))).resolves.toMatchObject({
      isTemplate: true,
    });
    expect(templates.renameDomain).not.toHaveBeenCalled();
    // The dead engine would have announced it after its task: the adopter does.
    expect(templates.announce).toHaveBeenCalledWith(expect.objectContaining({ id: VM_ID }), ['isTemplate'], {
      actor: 'tester',
      correlationId: 'corr-1',
    });
  });

  it('converted with a new name → the domain rename is applied again; refused → failed (the VM put back)', async () => {
    const ok = make(true);
    await ok.adopter.adopt(fakeCtx('vm.make-template'), converting('golden'));
    expect(ok.templates.renameDomain).toHaveBeenCalledWith(HOST, VM_ID, 'golden', {
      name: 'vm1',
      description: '',
    });
    expect(ok.templates.announce).toHaveBeenCalledWith(
      expect.anything(),
      ['isTemplate', 'name'],
      expect.anything(),
    );
    const refused = make(true, async () => {
      throw new Error('domain is active');
    });
    await expect(refused.adopter.adopt(fakeCtx('vm.make-template'), converting('golden'))).rejects.toThrow(
      /domain is active/,
    );
    expect(refused.templates.announce).not.toHaveBeenCalled();
  });
});
