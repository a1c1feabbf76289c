import { create } from 'xmlbuilder2';

/** `<cpu><model>NAME</model></cpu>`, what `virsh hypervisor-cpu-compare` reads. */
export function cpuModelXml(model: string): string {
  const root = create({ version: '1.0' });
  root.ele('cpu').ele('model').txt(model);
  return root.end({ prettyPrint: true });
}
