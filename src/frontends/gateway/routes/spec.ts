// The Gateway API spec shapes route-rule translation reads, named once from @kubernetes-models/gateway-api
// (types only, imported from the package's ES modules: the objects were already checked against the CRD schemas and CEL rules when they were read).
import type { IHTTPRouteSpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteSpec' with {
  'resolution-mode': 'import',
};
import type { IHTTPRouteRule } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteRule' with {
  'resolution-mode': 'import',
};
import type { IHTTPRouteMatch } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteMatch' with {
  'resolution-mode': 'import',
};
import type { IHTTPRouteFilter } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteFilter' with {
  'resolution-mode': 'import',
};
import type { IHTTPHeaderFilter } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPHeaderFilter' with {
  'resolution-mode': 'import',
};
import type { IHTTPRequestRedirectFilter } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRequestRedirectFilter' with {
  'resolution-mode': 'import',
};
import type { IHTTPURLRewriteFilter } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPURLRewriteFilter' with {
  'resolution-mode': 'import',
};
import type { IHTTPPathModifier } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPPathModifier' with {
  'resolution-mode': 'import',
};
import type { IHTTPRequestMirrorFilter } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRequestMirrorFilter' with {
  'resolution-mode': 'import',
};
import type { IHTTPCORSFilter } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPCORSFilter' with {
  'resolution-mode': 'import',
};
import type { IHTTPBackendRef } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPBackendRef' with {
  'resolution-mode': 'import',
};
import type { IBackendObjectReference } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/BackendObjectReference' with {
  'resolution-mode': 'import',
};
import type { IGRPCRouteSpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteSpec' with {
  'resolution-mode': 'import',
};
import type { IGRPCRouteRule } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteRule' with {
  'resolution-mode': 'import',
};
import type { IGRPCRouteMatch } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteMatch' with {
  'resolution-mode': 'import',
};
import type { IGRPCRouteFilter } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteFilter' with {
  'resolution-mode': 'import',
};
import type { IGRPCBackendRef } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCBackendRef' with {
  'resolution-mode': 'import',
};
import type { IBackendTLSPolicySpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/BackendTLSPolicySpec' with {
  'resolution-mode': 'import',
};

export type HTTPRouteSpec = IHTTPRouteSpec;
export type HTTPRouteRule = IHTTPRouteRule;
export type HTTPRouteMatch = IHTTPRouteMatch;
export type HTTPRouteFilter = IHTTPRouteFilter;
export type HTTPHeaderFilter = IHTTPHeaderFilter;
export type HTTPRequestRedirectFilter = IHTTPRequestRedirectFilter;
export type HTTPURLRewriteFilter = IHTTPURLRewriteFilter;
export type HTTPPathModifier = IHTTPPathModifier;
export type HTTPRequestMirrorFilter = IHTTPRequestMirrorFilter;
export type HTTPCORSFilter = IHTTPCORSFilter;
export type HTTPBackendRef = IHTTPBackendRef;
export type BackendObjectReference = IBackendObjectReference;
export type GRPCRouteSpec = IGRPCRouteSpec;
export type GRPCRouteRule = IGRPCRouteRule;
export type GRPCRouteMatch = IGRPCRouteMatch;
export type GRPCRouteFilter = IGRPCRouteFilter;
export type GRPCBackendRef = IGRPCBackendRef;
export type BackendTLSPolicySpec = IBackendTLSPolicySpec;
