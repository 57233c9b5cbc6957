#!/usr/bin/env bash
# `make release`: writes one install manifest (everything `kubectl apply -k k8s/` installs) with the kxds
# image given, and says where. Usage: scripts/release.sh IMAGE OUTPUT [KUBECTL]. IMAGE is NAME[:TAG]; a
# registry port (host:5000/kxds:1.0) is part of the name. Nothing is applied anywhere.
set -euo pipefail
image=$1 out=$2 kubectl=${3:-kubectl}
repo=$(cd "$(dirname "$0")/.." && pwd)
name=$image tag=latest
# The tag is what follows the last ':' after the last '/'.
if [[ ${image##*/} == *:* ]]; then name=${image%:*} tag=${image##*:}; fi
# Inside the repository: kustomize takes only relative paths to other kustomizations.
work=$repo/dist/.release-$$
rm -rf "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/image"
# Two layers: the inner sets the image on base, the outer hands it on to the pods kxds injects
# (k8s/components/injected-images runs before its own kustomization's image transformer).
cat > "$work/image/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../../k8s/base]
images:
  - name: kxds
    newName: "$name"
    newTag: "$tag"
YAML
cat > "$work/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [image]
components: [../../k8s/components/injected-images]
YAML
mkdir -p "$(dirname "$out")"
"$kubectl" kustomize "$work" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(cd "$(dirname "$out")" && pwd)/$(basename "$out") (image $name:$tag): kubectl apply -f $out"
