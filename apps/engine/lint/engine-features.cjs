// What the engine's lint rules share: where a file sits among the feature folders, and which folder
// owns which table (read from the entities' @Entity('table') decorators, so the map never drifts).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ENGINE_SRC = path.join('apps', 'engine', 'src') + path.sep;
const NOT_FEATURES = new Set(['common', 'config', 'redis', 'database', 'tools']);
const SRC_DIR = path.join(__dirname, '..', 'src');

/** `apps/engine/src/<feature>/…` → { feature, rel }; null outside the engine's sources. */
function locate(file) {
  const norm = path.normalize(file);
  const at = norm.lastIndexOf(ENGINE_SRC);
  if (at < 0) return null;
  const rel = norm
    .slice(at + ENGINE_SRC.length)
    .split(path.sep)
    .join('/');
  const slash = rel.indexOf('/');
  const feature = slash < 0 ? null : rel.slice(0, slash);
  return { rel, feature: feature && !NOT_FEATURES.has(feature) ? feature : null };
}

/** The folder an imported identifier comes from (relative imports only), or undefined. */
function importedFeature(context, node, file) {
  let scope = context.sourceCode.getScope(node);
  while (scope) {
    const v = scope.set.get(node.name);
    if (v) {
      const def = v.defs[0];
      if (!def || def.type !== 'ImportBinding') return undefined;
      const source = def.parent.source.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return undefined;
      const target = locate(path.resolve(path.dirname(file), source));
      return target ? (target.feature ?? '') : undefined;
    }
    scope = scope.upper;
  }
  return undefined;
}

let owners;
/** table name → feature folder of its entity (the first folder under src/). */
function tableOwners() {
  if (owners) return owners;
  owners = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.entit(y|ies)\.ts$/.test(entry.name)) {
        const feature = locate(full)?.feature;
        if (!feature) continue;
        for (const m of fs.readFileSync(full, 'utf8').matchAll(/@Entity\(\s*['"](\w+)['"]/g))
          owners.set(m[1], feature);
      }
    }
  };
  walk(SRC_DIR);
  return owners;
}

/** The rule option both boundary rules take: file (relative to src/) → names it may still use. */
const BASELINE_SCHEMA = [
  {
    type: 'object',
    properties: {
      baseline: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    },
    additionalProperties: false,
  },
];

/** The names the baseline lets this file use. */
function baselineOf(context, rel) {
  return new Set(((context.options[0] && context.options[0].baseline) || {})[rel] || []);
}

module.exports = { locate, importedFeature, tableOwners, BASELINE_SCHEMA, baselineOf };
