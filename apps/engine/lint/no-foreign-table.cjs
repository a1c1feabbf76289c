// ESLint rule: a feature folder's SQL names only its own tables.
//
// no-foreign-repository keeps TypeORM repositories of other features out; raw SQL could still join
// them and nobody would see it. A table belongs to the folder that holds its entity (the map is read
// from the @Entity('table') decorators, see engine-features.cjs). Checked:
//   <anything>.query(SQL, …)       SQL a string, a template, or a local constant holding them (an
//                                  object or array of statements too); tables after FROM, JOIN,
//                                  UPDATE, INSERT INTO and DELETE FROM
//   query builders: .from('t'), .innerJoin('t', …), .leftJoin…, .into('t'), .update('t'), and the
//                   same methods given an entity class imported from another feature
// A cross-feature read model that is declared on purpose (docs/adr/0058) is listed in a baseline
// (file → table names); an entry that is no longer needed is itself reported, so the list only shrinks.
'use strict';

const {
  locate,
  importedFeature,
  tableOwners,
  BASELINE_SCHEMA,
  baselineOf,
} = require('./engine-features.cjs');

const BUILDER_METHODS = new Set([
  'from',
  'innerJoin',
  'leftJoin',
  'innerJoinAndSelect',
  'leftJoinAndSelect',
  'innerJoinAndMapOne',
  'leftJoinAndMapOne',
  'into',
  'update',
]);
const TABLE_AFTER =
  /\b(?:FROM|JOIN|UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+(?:ONLY\s+)?(?:public\.)?"?(\w+)"?/gi;

/** The SQL text of a literal or template (placeholders become `$x`), or null. */
function text(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral')
    return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join(' $x ');
  return null;
}

/** Every string and template in a subtree (a constant object of statements, a helper's body). */
function strings(node, out = []) {
  if (!node || typeof node !== 'object') return out;
  const t = text(node);
  if (t !== null) {
    out.push({ node, sql: t });
    if (node.type === 'TemplateLiteral') for (const e of node.expressions) strings(e, out);
    return out;
  }
  for (const key of Object.keys(node)) {
    if (key === 'parent') continue;
    const v = node[key];
    if (Array.isArray(v)) v.forEach((c) => strings(c, out));
    else if (v && typeof v.type === 'string') strings(v, out);
  }
  return out;
}

/** The initializer of a local constant `name`, or undefined. */
function initOf(context, node) {
  let scope = context.sourceCode.getScope(node);
  while (scope) {
    const v = scope.set.get(node.name);
    if (v) {
      const def = v.defs[0];
      return def && def.type === 'Variable' ? def.node.init : undefined;
    }
    scope = scope.upper;
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: "A feature's SQL names only its own tables; it asks the owner for others'." },
    schema: BASELINE_SCHEMA,
    messages: {
      foreign:
        "SQL in {{feature}}/ names {{table}}, a table of {{owner}}/: ask that feature's repository or service (or declare a read model in docs/adr/0058 and apps/engine/lint/foreign-tables.json).",
      stale:
        'The baseline lets this file name the table {{table}} of another feature, but it no longer does: remove the entry from apps/engine/lint/foreign-tables.json.',
    },
  },
  create(context) {
    const file = context.filename;
    const here = locate(file);
    if (!here || !here.feature) return {};
    const owners = tableOwners();
    const allowed = baselineOf(context, here.rel);
    const used = new Set();
    const seen = new Set();

    function table(node, name) {
      const owner = owners.get(name);
      if (!owner || owner === here.feature) return;
      used.add(name);
      if (allowed.has(name)) return;
      const key = `${node.range[0]}:${name}`;
      if (seen.has(key)) return;
      seen.add(key);
      context.report({ node, messageId: 'foreign', data: { table: name, owner, feature: here.feature } });
    }

    function sqlOf(arg) {
      if (!arg) return [];
      if (text(arg) !== null) return strings(arg);
      const name = arg.type === 'Identifier' ? arg : arg.type === 'MemberExpression' ? arg.object : null;
      if (name && name.type === 'Identifier') return strings(initOf(context, name));
      return [];
    }

    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        const method = callee.property.name;
        const first = node.arguments[0];
        if (method === 'query') {
          for (const { node: at, sql } of sqlOf(first))
            for (const m of sql.matchAll(TABLE_AFTER)) table(at, m[1].toLowerCase());
          return;
        }
        if (!BUILDER_METHODS.has(method) || !first) return;
        if (first.type === 'Literal' && typeof first.value === 'string') table(first, first.value);
        else if (first.type === 'Identifier' && /^[A-Z]\w*Entity$/.test(first.name)) {
          const owner = importedFeature(context, first, file);
          if (owner && owner !== here.feature) {
            used.add(first.name);
            if (!allowed.has(first.name))
              context.report({
                node: first,
                messageId: 'foreign',
                data: { table: first.name, owner, feature: here.feature },
              });
          }
        }
      },
      'Program:exit'(program) {
        for (const t of allowed)
          if (!used.has(t)) context.report({ node: program, messageId: 'stale', data: { table: t } });
      },
    };
  },
};
