// The Gateway API spec types the front-end reads objects with, from @kubernetes-models/gateway-api (an ES
// module package: type-only imports need the resolution-mode attribute, so they are gathered here once).
// The model keeps `spec` loosely typed; the CRD schema checks have vouched for these shapes.
export type { IGatewayClassSpec as GatewayClassSpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClassSpec' with {
  'resolution-mode': 'import',
};
export type { IGatewaySpec as GatewaySpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewaySpec' with {
  'resolution-mode': 'import',
};
export type { IListener as Listener } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Listener' with {
  'resolution-mode': 'import',
};
export type { IListenerSetSpec as ListenerSetSpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ListenerSetSpec' with {
  'resolution-mode': 'import',
};
export type { IListenerEntry as ListenerEntry } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ListenerEntry' with {
  'resolution-mode': 'import',
};
export type { IAllowedRoutes as AllowedRoutes } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/AllowedRoutes' with {
  'resolution-mode': 'import',
};
export type { IParentReference as ParentReference } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ParentReference' with {
  'resolution-mode': 'import',
};
export type { ISecretObjectReference as SecretObjectReference } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/SecretObjectReference' with {
  'resolution-mode': 'import',
};
export type { IReferenceGrantSpec as ReferenceGrantSpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/ReferenceGrantSpec' with {
  'resolution-mode': 'import',
};
export type { IHTTPRouteSpec as HTTPRouteSpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRouteSpec' with {
  'resolution-mode': 'import',
};
export type { IGRPCRouteSpec as GRPCRouteSpec } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GRPCRouteSpec' with {
  'resolution-mode': 'import',
};
