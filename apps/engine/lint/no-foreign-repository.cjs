// ESLint rule: a feature folder of the engine reaches only its own tables through TypeORM.
//
// A table belongs to the folder that holds its entity. Another feature asks that folder's exported
// repository or service, so the owner can change its table (or cache, or move it) without hunting
// through the engine for readers. Checked forms:
//   @InjectRepository(X)       X imported from another feature folder
//   <anything>.getRepository(X)  same
//   <anything>.find(X, …), .update(X, …) and the other EntityManager methods given an entity class X
//                              imported from another feature (a transaction's reads and writes too)
//   <anything>.find('XEntity', …) and the other EntityManager methods given an entity by NAME,
//   { entity: 'XEntity' }      (a string hides the dependency from imports and from this rule)
// Base folders (common/, config/, redis/) and the root (database/, tools/, main.ts, …) are not
// features. Known exceptions are listed in a baseline (file → entity class names); an entry that is
// no longer needed is itself reported, so the list only shrinks.
'use strict';

const path = require('node:path');
const { locate, importedFeature, BASELINE_SCHEMA, baselineOf } = require('./engine-features.cjs');

const MANAGER_METHODS = new Set([
  'find',
  'findBy',
  'findOne',
  'findOneBy',
  'findOneOrFail',
  'findOneByOrFail',
  'findAndCount',
  'count',
  'countBy',
  'exists',
  'existsBy',
  'save',
  'insert',
  'update',
  'upsert',
  'delete',
  'remove',
  'increment',
  'decrement',
  'createQueryBuilder',
  'getRepository',
]);

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: "A feature reads and writes only its own tables; it asks the owner for others'." },
    schema: BASELINE_SCHEMA,
    messages: {
      foreign:
        "{{entity}} belongs to {{owner}}/: ask that feature's exported repository or service instead of a TypeORM repository in {{feature}}/.",
      byName:
        "'{{entity}}' by name hides whose table this is: import the entity's owner (its repository or service), not a string.",
      stale:
        'The baseline lets this file use {{entity}} of another feature, but it no longer does: remove the entry from apps/engine/lint/foreign-repositories.json.',
    },
  },
  create(context) {
    const file = context.filename;
    const here = locate(file);
    if (!here || !here.feature) return {};
    const allowed = baselineOf(context, here.rel);
    const used = new Set();

    function check(node, arg) {
      if (!arg) return;
      if (arg.type === 'Literal' && typeof arg.value === 'string' && /^[A-Z]\w*Entity$/.test(arg.value)) {
        used.add(arg.value);
        if (!allowed.has(arg.value))
          context.report({ node: arg, messageId: 'byName', data: { entity: arg.value } });
        return;
      }
      if (arg.type !== 'Identifier') return;
      const owner = importedFeature(context, arg, file);
      if (owner === undefined || owner === here.feature || owner === '') return;
      used.add(arg.name);
      if (allowed.has(arg.name)) return;
      context.report({
        node: arg,
        messageId: 'foreign',
        data: { entity: arg.name, owner, feature: here.feature },
      });
    }

    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type === 'Identifier' && callee.name === 'InjectRepository')
          return check(node, node.arguments[0]);
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        if (callee.property.name === 'getRepository') return check(node, node.arguments[0]);
        const first = node.arguments[0];
        if (MANAGER_METHODS.has(callee.property.name) && first && /^[A-Z]\w*Entity$/.test(first.name || ''))
          check(node, first);
        else if (MANAGER_METHODS.has(callee.property.name) && first && first.type === 'Literal')
          check(node, first);
      },
      // Tables named in data, e.g. `{ entity: 'HostEntity', … }` for a generic counter.
      'Property[key.name="entity"]'(node) {
        if (node.value.type === 'Literal') check(node, node.value);
      },
      'Program:exit'(program) {
        for (const entity of allowed)
          if (!used.has(entity)) context.report({ node: program, messageId: 'stale', data: { entity } });
      },
    };
  },
};
