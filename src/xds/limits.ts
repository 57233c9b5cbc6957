// Limits of the snapshot cache that the command line shows as defaults, in a module without dependencies so
// `kxds --help` does not load the cache (and RxJS) to print them.

/** Node-chosen groups allowed at once unless configured (docs/architecture.md, "Node roles and groups"). */
export const DEFAULT_MAX_NODE_CHOSEN_GROUPS = 256;
