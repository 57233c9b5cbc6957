// The greeter Service and its EndpointSlice (127.0.0.2 and 127.0.0.3) as manifest YAML, for tests that run
// `kxds serve --manifests` on a temporary folder.
export function greeterManifest(port: number, secondReady = true): string {
  return `apiVersion: v1
kind: Service
metadata: { name: greeter, namespace: demo }
spec:
  ports: [{ name: grpc, port: 50051, appProtocol: grpc }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: greeter-1
  namespace: demo
  labels: { kubernetes.io/service-name: greeter }
addressType: IPv4
ports: [{ name: grpc, port: ${port} }]
endpoints:
  - addresses: ["127.0.0.2"]
    conditions: { ready: true }
  - addresses: ["127.0.0.3"]
    conditions: { ready: ${secondReady} }
`;
}
