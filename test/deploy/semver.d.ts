// The one function of `semver` the engines test uses. semver is in node_modules through typescript-eslint
// (a devDependency) and ships no types; this keeps package.json free of a dependency for one test.
declare module 'semver' {
  export function satisfies(
    version: string,
    range: string,
    options?: { includePrerelease?: boolean },
  ): boolean;
}
