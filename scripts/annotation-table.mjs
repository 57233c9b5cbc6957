// Prints docs/annotations.md from the annotation catalog:
//   npm run build && node scripts/annotation-table.mjs > docs/annotations.md && npx prettier --write docs/annotations.md
import { ANNOTATION_CATALOG } from '../dist/src/translate/annotation-catalog.js';
const rows = [...ANNOTATION_CATALOG].sort(([a], [b]) => a.localeCompare(b));
const word = {
  implemented: 'implemented',
  unsupported: 'not implemented (ignored, with a condition)',
  refused: 'refused (never interpreted)',
  'fails-closed': 'fails closed (403)',
};
let out = `# Annotations\n\nEvery annotation key kxds knows under \`kxds.io/\` and \`nginx.ingress.kubernetes.io/\`, on which kind of\nobject, and what kxds does with it. The list is \`src/translate/annotation-catalog.ts\`; a test checks this page\nagainst it. A key under either prefix that is not here is reported on the object (reason \`UnknownAnnotation\`,\nwith a "did you mean" for near misses) and ignored. A key kxds does not implement is reported\n(\`UnsupportedAnnotation\`) and ignored. Snippets are refused and never interpreted. Access control kxds does not\nimplement fails closed: every route of that Ingress answers 403 (\`UnsupportedAccessControl\`), and a canary Ingress\ncarrying one is not applied.\n\nWhat each implemented key means is in the Ingress and Service sections of the docs.\n\n| Annotation | Read on | kxds |\n|---|---|---|\n`;
for (const [key, e] of rows)
  out += `| \`${key}\` | ${e.kinds.join(', ')} | ${word[e.support]}${e.support !== 'implemented' && e.why ? `: ${e.why}` : ''} |\n`;
process.stdout.write(out);
