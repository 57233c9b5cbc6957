#!/usr/bin/env bash
# `make release`: writes one install manifest (everything `kubectl apply -k k8s/` installs) with the images
# given, and says where. Usage: scripts/release.sh IMAGE OUTPUT [KUBECTL]; ENVOY_IMAGE and ALLOW_TAG come
# from the environment. A release names each image by digest (REPO@sha256:HEX): a tag can be moved to other
# bytes after the manifest was reviewed, a digest cannot. A tag (NAME[:TAG]; a registry port as in
# host:5000/kxds:1.0 is part of the name) is refused unless ALLOW_TAG=1 (a test install). The digest is the
# registry's (`docker buildx imagetools inspect`, `crane digest`): nothing here pushes or asks a registry.
# Nothing is applied anywhere.
set -euo pipefail
image=$1 out=$2 kubectl=${3:-kubectl}
envoy_image=${ENVOY_IMAGE:-}
repo=$(cd "$(dirname "$0")/.." && pwd)

# Prints the kustomize `images:` fields for one image: newName plus digest, or newName plus newTag.
image_fields() {
  local what=$1 value=$2
  if [[ $value =~ ^([^@]+)@(sha256:[0-9a-f]{64})$ ]]; then
    printf '    newName: "%s"\n    digest: "%s"\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    return
  fi
  if [[ $value == *@* ]]; then
    echo "make release: $what=$value: a digest is sha256: and 64 lowercase hex digits" >&2
    exit 1
  fi
  if [[ ${ALLOW_TAG:-} != 1 ]]; then
    echo "make release: $what=$value names a tag, which can be moved to another image after this manifest is reviewed;" >&2
    echo "  give $what=REPO@sha256:DIGEST (docker buildx imagetools inspect REPO:TAG), or ALLOW_TAG=1 for a test install" >&2
    exit 1
  fi
  local name=$value tag=latest
  # The tag is what follows the last ':' after the last '/'.
  if [[ ${value##*/} == *:* ]]; then name=${value%:*} tag=${value##*:}; fi
  printf '    newName: "%s"\n    newTag: "%s"\n' "$name" "$tag"
}

kxds_fields=$(image_fields IMAGE "$image")
# The Envoy image as k8s/base names it (a tag; a release needs it by digest too). The images below apply to
# base's output, where the Envoy image already carries that name.
base=$repo/k8s/base/kustomization.yaml
envoy_name=$(sed -n '/- name: envoy$/{n;s/.*newName: //p}' "$base")
envoy_image=${envoy_image:-$envoy_name:$(sed -n '/- name: envoy$/{n;n;s/.*newTag: //p}' "$base")}
envoy_fields=$(image_fields ENVOY_IMAGE "$envoy_image")

# Inside the repository: kustomize takes only relative paths to other kustomizations.
work=$repo/dist/.release-$$
rm -rf "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/image"
# Two layers: the inner sets the images on base, the outer hands them on to the pods kxds injects
# (k8s/components/injected-images runs before its own kustomization's image transformer).
cat > "$work/image/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../../k8s/base]
images:
  - name: kxds
$kxds_fields
  - name: "$envoy_name"
$envoy_fields
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
echo "wrote $(cd "$(dirname "$out")" && pwd)/$(basename "$out") (images $image, $envoy_image): kubectl apply -f $out"
