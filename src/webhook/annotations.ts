// The labels and annotations kxds's injector reads and writes on pods and namespaces.

/** Namespace label: "enabled" injects every pod of the namespace. Pod label: "true" opts in, "false" out. */
export const INJECT_LABEL = 'kxds.io/inject';
export const NAMESPACE_INJECT_ENABLED = 'enabled';
/** Written by the injector: what it added, as JSON. Its presence makes injection idempotent. */
export const STATUS_ANNOTATION = 'kxds.io/status';
/** "iptables" turns on transparent capture; anything else (or absent) is explicit mode. */
export const CAPTURE_ANNOTATION = 'kxds.io/capture';
export const PROXY_CPU_ANNOTATION = 'kxds.io/proxy-cpu';
export const PROXY_CPU_LIMIT_ANNOTATION = 'kxds.io/proxy-cpu-limit';
export const PROXY_MEMORY_ANNOTATION = 'kxds.io/proxy-memory';
export const PROXY_MEMORY_LIMIT_ANNOTATION = 'kxds.io/proxy-memory-limit';
/** Passed on to the control plane in the node metadata: which namespaces' Services the sidecar sees. */
export const EGRESS_NAMESPACES_ANNOTATION = 'kxds.io/egress-namespaces';
