// Field paths in proto field names, shared by the validator and the round-trip checker, so both report
// `filter_chains[0].filters[0].typed_config(HttpConnectionManager).stat_prefix` the same way.

/** `parent.name`, or just `name` at the root. */
export function fieldPath(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

/** A list item: `parent[3]`. */
export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** A map entry: `parent[key]`. */
export function entryPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}

/** The inside of an Any, named by the short name of its type: `typed_config(Router)`. */
export function anyPath(parent: string, typeName: string): string {
  return `${parent}(${typeName.slice(typeName.lastIndexOf('.') + 1)})`;
}

/** How a path is printed at the start of a message; the root message itself is `<root>`. */
export function printedPath(path: string): string {
  return path || '<root>';
}
