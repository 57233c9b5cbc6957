// The Gateway API spec shapes route-rule translation reads, named once from @kubernetes-models/gateway-api.
// Types only (the package is ES modules, hence the resolution-mode): the objects were already checked
// against the CRD schemas and CEL rules when they were read.

export type HTTPRouteSpec = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteSpec',
  { with: { 'resolution-mode': 'import' } }
).IHTTPRouteSpec;
export type HTTPRouteRule = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteRule',
  { with: { 'resolution-mode': 'import' } }
).IHTTPRouteRule;
export type HTTPRouteMatch = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteMatch',
  { with: { 'resolution-mode': 'import' } }
).IHTTPRouteMatch;
export type HTTPRouteFilter = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteFilter',
  { with: { 'resolution-mode': 'import' } }
).IHTTPRouteFilter;
export type HTTPHeaderFilter = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPHeaderFilter',
  { with: { 'resolution-mode': 'import' } }
).IHTTPHeaderFilter;
export type HTTPRequestRedirectFilter = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRequestRedirectFilter',
  { with: { 'resolution-mode': 'import' } }
).IHTTPRequestRedirectFilter;
export type HTTPURLRewriteFilter = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPURLRewriteFilter',
  { with: { 'resolution-mode': 'import' } }
).IHTTPURLRewriteFilter;
export type HTTPPathModifier = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPPathModifier',
  { with: { 'resolution-mode': 'import' } }
).IHTTPPathModifier;
export type HTTPRequestMirrorFilter = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRequestMirrorFilter',
  { with: { 'resolution-mode': 'import' } }
).IHTTPRequestMirrorFilter;
export type HTTPCORSFilter = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPCORSFilter',
  { with: { 'resolution-mode': 'import' } }
).IHTTPCORSFilter;
export type HTTPBackendRef = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPBackendRef',
  { with: { 'resolution-mode': 'import' } }
).IHTTPBackendRef;
export type BackendObjectReference = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/BackendObjectReference',
  { with: { 'resolution-mode': 'import' } }
).IBackendObjectReference;
export type GRPCRouteSpec = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteSpec',
  { with: { 'resolution-mode': 'import' } }
).IGRPCRouteSpec;
export type GRPCRouteRule = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteRule',
  { with: { 'resolution-mode': 'import' } }
).IGRPCRouteRule;
export type GRPCRouteMatch = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteMatch',
  { with: { 'resolution-mode': 'import' } }
).IGRPCRouteMatch;
export type GRPCRouteFilter = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteFilter',
  { with: { 'resolution-mode': 'import' } }
).IGRPCRouteFilter;
export type GRPCBackendRef = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCBackendRef',
  { with: { 'resolution-mode': 'import' } }
).IGRPCBackendRef;
export type BackendTLSPolicySpec = import(
  '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/BackendTLSPolicySpec',
  { with: { 'resolution-mode': 'import' } }
).IBackendTLSPolicySpec;
