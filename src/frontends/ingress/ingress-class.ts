// Which Ingresses this controller serves. kxds serves one class, named by --ingress-class (default "kxds"):
// an Ingress is ours when the legacy kubernetes.io/ingress.class annotation names that class, or
// spec.ingressClassName names it (and the IngressClass object, when there is one, has the controller
// kxds.io/ingress-controller), or it names no class and our IngressClass is marked the cluster default.
// Matching the name and not only the controller lets two kxds installations serve two classes side by side.
import type { Ingress, IngressClass } from '../../model/k8s';
import type { ModelView } from '../../model/store';

export const INGRESS_CONTROLLER = 'kxds.io/ingress-controller';
export const DEFAULT_INGRESS_CLASS = 'kxds';
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export function isOurClass(cls: IngressClass): boolean {
  return cls.spec.controller === INGRESS_CONTROLLER;
}

export function servesIngress(model: ModelView, ingress: Ingress, ourClass: string): boolean {
  const legacy = ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  // The annotation predates spec.ingressClassName and, as in other controllers, wins when both are set.
  if (legacy !== undefined) return legacy === ourClass;
  const className = ingress.spec.ingressClassName;
  const cls = model.get('IngressClass', undefined, ourClass);
  if (className !== undefined) return className === ourClass && (!cls || isOurClass(cls));
  return (
    cls !== undefined && isOurClass(cls) && cls.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true'
  );
}

/** Our Ingresses, oldest first (creationTimestamp, then namespace/name): the order conflicts are decided in. */
export function servedIngresses(model: ModelView, ourClass: string): Ingress[] {
  return model
    .list('Ingress')
    .filter((ing) => servesIngress(model, ing, ourClass))
    .sort(compareAge);
}

export function compareAge(a: Ingress, b: Ingress): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  // Objects without a timestamp (manifests) sort after stamped ones, then by name.
  if (ta !== tb)
    return ta === '' ? 1 : tb === '' ? -1 : Date.parse(ta) - Date.parse(tb) || (ta < tb ? -1 : 1);
  return ingressKey(a) < ingressKey(b) ? -1 : ingressKey(a) > ingressKey(b) ? 1 : 0;
}

export function ingressKey(ing: Ingress): string {
  return `${ing.metadata.namespace ?? 'default'}/${ing.metadata.name}`;
}
