// For benchmark clients that act like Envoy after CDS: the EDS names of the clusters in a SotW CDS response
// (a cluster's eds_cluster_config.service_name, else its name; clusters without eds_cluster_config need
// no EDS), read off the wire without decoding whole clusters.
import * as protobuf from 'protobufjs';

function fields(
  bytes: Uint8Array,
  visit: (field: number, reader: protobuf.Reader, wire: number) => boolean,
): void {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (!visit(tag >>> 3, reader, tag & 7)) reader.skipType(tag & 7);
  }
}

function edsNameOf(cluster: Uint8Array): string | undefined {
  let name = '';
  let eds: string | undefined;
  fields(cluster, (field, reader) => {
    if (field === 1) name = reader.string();
    else if (field === 3) {
      eds = '';
      fields(reader.bytes(), (f, r) => (f === 2 ? ((eds = r.string()), true) : false));
    } else return false;
    return true;
  });
  return eds === undefined ? undefined : eds || name;
}

/** DiscoveryResponse field 2: the Anys; Any field 2: the Cluster. */
export function edsNamesOfCdsResponse(response: Uint8Array): string[] {
  const names: string[] = [];
  fields(response, (field, reader) => {
    if (field !== 2) return false;
    fields(reader.bytes(), (f, r) => {
      if (f !== 2) return false;
      const name = edsNameOf(r.bytes());
      if (name !== undefined) names.push(name);
      return true;
    });
    return true;
  });
  return names.sort();
}
