/** Just enough of EDK II's variable store format (MdeModulePkg VariableFormat.h) to add one variable
 * to an OVMF vars file, as the firmware itself would write it. */

/** gEfiAuthenticatedVariableGuid: the store format of OVMF's vars files. */
const AUTHENTICATED_STORE = 'aaf32c78-947b-439a-a180-2e144ec37792';
/** sizeof(AUTHENTICATED_VARIABLE_HEADER), packed. */
const HEADER_BYTES = 60;
const VARIABLE_DATA = 0x55aa;
const VAR_ADDED = 0x3f;
/** EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS. */
const NV_BS_RT = 0x7;

const align4 = (n: number) => (n + 3) & ~3;

/** An EFI_GUID as stored: the first three fields little-endian. */
function guidBytes(guid: string): Buffer {
  const b = Buffer.from(guid.replace(/-/g, ''), 'hex');
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

/** A copy of the vars file with `name` (vendor `vendorGuid`) = `data` added after its last variable. */
export function withEfiVariable(file: Buffer, name: string, vendorGuid: string, data: Buffer): Buffer {
  const out = Buffer.from(file);
  const store = out.readUInt16LE(0x30); // the firmware volume header's length
  if (!out.subarray(store, store + 16).equals(guidBytes(AUTHENTICATED_STORE)))
    throw new Error('not an authenticated variable store');
  const end = store + out.readUInt32LE(store + 16);
  let at = align4(store + 28);
  while (out.readUInt16LE(at) === VARIABLE_DATA) {
    const nameSize = out.readUInt32LE(at + 36);
    const dataSize = out.readUInt32LE(at + 40);
    at = align4(at + HEADER_BYTES + align4(nameSize) + dataSize);
  }
  const nameBytes = Buffer.from(`${name}\0`, 'utf16le');
  const size = HEADER_BYTES + align4(nameBytes.length) + data.length;
  if (at + size > end || out.subarray(at, at + size).some((b) => b !== 0xff))
    throw new Error('no free space for the variable');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16LE(VARIABLE_DATA, 0);
  header.writeUInt8(VAR_ADDED, 2);
  header.writeUInt32LE(NV_BS_RT, 4);
  header.writeUInt32LE(nameBytes.length, 36);
  header.writeUInt32LE(data.length, 40);
  guidBytes(vendorGuid).copy(header, 44);
  header.copy(out, at);
  nameBytes.copy(out, at + HEADER_BYTES);
  data.copy(out, at + HEADER_BYTES + align4(nameBytes.length));
  return out;
}
