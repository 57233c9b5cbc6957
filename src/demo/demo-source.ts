// The demo's backends listen on 127.0.0.2 and 127.0.0.3 at DEMO_BACKEND_PORT unless another program (or a
// second demo) holds it; then they take a free port, and this wrapper rewrites the port of the demo's
// EndpointSlices (those whose every address is a demo backend) to it, so demo/manifests stays as it is.
import { map } from 'rxjs';
import type { EndpointSlice, WatchedObject } from '../model/k8s';
import type { Source, SourceEvent } from '../sources/source';
import { DEMO_BACKEND_PORT, DEMO_BACKENDS } from './ports';

function isDemoSlice(object: WatchedObject): object is EndpointSlice {
  if (object.kind !== 'EndpointSlice') return false;
  const addresses = (object.endpoints ?? []).flatMap((e) => e.addresses);
  return addresses.length > 0 && addresses.every((a) => DEMO_BACKENDS.includes(a));
}

function rewrite(event: SourceEvent, port: number): SourceEvent {
  if (event.type === 'synced' || !isDemoSlice(event.object)) return event;
  const ports = (event.object.ports ?? []).map((p) => (p.port === DEMO_BACKEND_PORT ? { ...p, port } : p));
  return { ...event, object: { ...event.object, ports } };
}

/** The source as it is when the backends use the default port, else with the demo slices' port moved. */
export function withDemoBackendPort(source: Source, port: number): Source {
  if (port === DEMO_BACKEND_PORT) return source;
  return {
    name: source.name,
    events$: source.events$.pipe(map((event) => rewrite(event, port))),
    ...(source.stats ? { stats: () => source.stats?.() } : {}),
    stop: () => source.stop(),
  };
}
