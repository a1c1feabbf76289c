import { asArray, node, parseXml, type XmlNode } from './xml';

/** The OVS port id libvirt gave the domain's NIC with this MAC (absent: no such NIC, or not on OVS). */
export function ovsInterfaceIdOf(domainXml: string, mac: string): string | undefined {
  const devices = node(node(parseXml(domainXml).domain)?.devices);
  const nic = asArray<XmlNode>(devices?.interface).find(
    (i) => String(node(i.mac)?.['@_address'] ?? '').toLowerCase() === mac.toLowerCase(),
  );
  const id = node(node(nic?.virtualport)?.parameters)?.['@_interfaceid'];
  return typeof id === 'string' ? id : undefined;
}
