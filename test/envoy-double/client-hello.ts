// What Envoy's TLS inspector reads from a ClientHello: whether the connection is TLS at all, and the SNI
// server name (extension 0). Enough of the record layout to find it; anything malformed reads as no name.

/** True once `bytes` holds a whole first TLS record, or is clearly not TLS. */
export function helloComplete(bytes: Buffer): boolean {
  if (bytes.length < 1) return false;
  if (bytes[0] !== 0x16) return true;
  return bytes.length >= 5 && bytes.length >= 5 + bytes.readUInt16BE(3);
}

export function isTls(bytes: Buffer): boolean {
  return bytes[0] === 0x16;
}

/** The SNI host name of a ClientHello, lowercased, or undefined. */
export function serverName(bytes: Buffer): string | undefined {
  try {
    let at = 5; // record header
    if (bytes[at] !== 0x01) return undefined; // handshake type ClientHello
    at += 4 + 2 + 32; // handshake header, client version, random
    at += 1 + (bytes[at] ?? 0); // session id
    at += 2 + bytes.readUInt16BE(at); // cipher suites
    at += 1 + (bytes[at] ?? 0); // compression methods
    const end = at + 2 + bytes.readUInt16BE(at);
    at += 2;
    while (at + 4 <= end) {
      const type = bytes.readUInt16BE(at);
      const length = bytes.readUInt16BE(at + 2);
      if (type === 0) {
        // server_name_list length (2), name type (1), name length (2), name
        const nameLength = bytes.readUInt16BE(at + 7);
        return bytes
          .subarray(at + 9, at + 9 + nameLength)
          .toString('ascii')
          .toLowerCase();
      }
      at += 4 + length;
    }
  } catch {
    // a truncated hello: no name
  }
  return undefined;
}
