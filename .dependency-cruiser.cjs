// Import boundaries of the engine, the agent and the portal, checked by `pnpm lint` (and so by CI).
// The allowed directions are written here once; docs/architecture.md ("Layers and import rules")
// draws them. Each app is a stack: a folder may import its own layer (without making a folder cycle)
// and the layers below it, never one above. @kelpie/shared-types sits under everything.
//
// engine  root:     main.ts, app.factory.ts, app.module.ts, database/ (the entity list), tools/,
//                   testing.ts
//         features: every other folder (one feature and one module per folder; no folder cycles)
//         base:     common/, config/, redis/, app.constants.ts
// agent   root:     main.ts, agent.ts, testing/
//         commands: protocol/handlers/
//         services: inventory/, stats/, host/, storage/
//         protocol: protocol/ (worker, dispatcher, reporter, journal)
//         libvirt:  libvirt/operations/ → libvirt/mapping/, libvirt/xml/ → libvirt/process/
//         base:     errors/, reports/ (the report queues' producer), config/, logger.ts
// web     root:     main.tsx, App.tsx
//         pages:    pages/
//         features: activity/, vms/, hosts/, storage/, console/, health/, charts/, nav/
//         ui:       components/, dialogs/, forms/, lists/, live/
//         api:      api/
//         words:    text/ (what people read instead of API words)
//
// A rule names the layer (from) and what it must not import (to).

const ENGINE = '^apps/engine/src/';
const AGENT = '^apps/agent/src/';
const WEB = '^apps/web/src/';

const engineBase = `${ENGINE}(common/|config/|redis/|app\\.constants\\.ts)`;

const agentRoot = `${AGENT}(main\\.ts|agent\\.ts|testing/)`;
const agentHandlers = `${AGENT}protocol/handlers/`;
const agentServices = `${AGENT}(inventory|stats|host|storage)/`;
const agentProtocol = `${AGENT}protocol/(?!handlers/)`;
const agentLibvirt = `${AGENT}libvirt/`;
const agentLibvirtLow = `${AGENT}libvirt/(mapping|xml|process)/`;
const agentBase = `${AGENT}(errors/|reports/|config/|metrics/|logger\\.ts)`;

const webRoot = `${WEB}(main|App)\\.tsx$`;
const webPages = `${WEB}pages/`;
const webFeatures = `${WEB}(activity|vms|hosts|storage|networks|console|health|charts|nav|inventory)/`;
const webUi = `${WEB}(components|dialogs|forms|lists|live)/`;
const webApi = `${WEB}api/`;
const webText = `${WEB}text/`;

const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle of files that import each other at run time (a type-only import is no cycle).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Folder A imports folder B, which imports A back: move the shared piece down, or invert.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^apps/(engine|agent|web)/src/' },
      to: { circular: true },
    },
    {
      name: 'apps-stay-apart',
      comment: 'Apps talk over HTTP or queues; what they share lives in packages/shared-types.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },

    forbid(
      'engine-root-on-top',
      'Only the composition root imports the app module.',
      `${ENGINE}(?!main\\.ts|app\\.factory\\.ts|tools/|testing\\.ts)`,
      `${ENGINE}(main\\.ts|app\\.factory\\.ts|app\\.module\\.ts|tools/|testing\\.ts)`,
    ),
    forbid(
      'engine-database-root',
      'database/ lists every entity: only the root imports it.',
      `${ENGINE}(?!main\\.ts|app\\.module\\.ts|database/|tools/|testing\\.ts)`,
      `${ENGINE}database/`,
    ),
    {
      name: 'engine-controllers-are-leaves',
      comment:
        "A controller is the HTTP edge of its feature: only its own folder's module (and its spec) " +
        'imports it; shared code lives in services, DTOs or common/. crud/ holds the base controller.',
      severity: 'error',
      from: { path: ENGINE, pathNot: `${ENGINE}.*\\.(module|spec)\\.ts$` },
      to: { path: `${ENGINE}(?!crud/)[^/]+/.*\\.controller\\.ts$` },
    },
    {
      name: 'engine-module-registers-own-controllers',
      comment:
        "A feature's routes are registered by its own module: a controller lives in its feature's folder.",
      severity: 'error',
      from: { path: `${ENGINE}([^/]+)/[^/]+\\.module\\.ts$` },
      to: { path: `${ENGINE}[^/]+/.*\\.controller\\.ts$`, pathNot: `${ENGINE}$1/` },
    },
    {
      name: 'engine-modules-from-modules',
      comment:
        'A feature module is imported by modules only (and the root): a service asks for what it needs ' +
        "by injection, so feature code never reaches into another feature's wiring.",
      severity: 'error',
      from: {
        path: ENGINE,
        pathNot: `${ENGINE}(.*\\.module\\.ts|main\\.ts|app\\.factory\\.ts|testing\\.ts|tools/)`,
      },
      to: { path: `${ENGINE}(?!common/|config/|redis/|database/)[^/]+/[^/]+\\.module\\.ts$` },
    },
    forbid(
      'engine-base-below-features',
      'common/, config/, redis/ serve every feature and know none.',
      engineBase,
      `${ENGINE}(?!common/|config/|redis/|app\\.constants\\.ts)`,
    ),

    forbid(
      'agent-root-on-top',
      'Only main.ts wires the agent together.',
      `${AGENT}(?!main\\.ts|agent\\.ts|testing/)`,
      agentRoot,
    ),
    forbid(
      'agent-handlers-above-services',
      'Command handlers use services, never the other way.',
      `${AGENT}(?!main\\.ts|agent\\.ts|testing/|protocol/handlers/)`,
      agentHandlers,
    ),
    forbid(
      'agent-protocol-below-services',
      'The transport (worker, reporter) knows no service.',
      agentProtocol,
      agentServices,
    ),
    forbid(
      'agent-libvirt-below-protocol',
      'libvirt code knows nothing of commands, queues or reports.',
      agentLibvirt,
      `${AGENT}(protocol|inventory|stats|host|storage|reports)/`,
    ),
    forbid(
      'agent-libvirt-operations-on-top',
      'operations use mapping, xml and process; not the reverse.',
      agentLibvirtLow,
      `${AGENT}libvirt/operations/`,
    ),
    forbid(
      'agent-process-bottom',
      'The process runner is the bottom of libvirt.',
      `${AGENT}libvirt/process/`,
      `${AGENT}libvirt/(?!process/)`,
    ),
    forbid(
      'agent-base-bottom',
      'errors, reports, config, metrics and the logger know no other agent code.',
      agentBase,
      `${AGENT}(?!errors/|reports/|config/|metrics/|logger\\.ts|libvirt/process/)`,
    ),

    forbid('web-root-on-top', 'Only main.tsx renders App.', `${WEB}(?!main\\.tsx)`, webRoot),
    forbid(
      'web-pages-above-features',
      'A page puts features together; features never import pages.',
      `${WEB}(?!main\\.tsx|App\\.tsx|pages/)`,
      webPages,
    ),
    forbid(
      'web-features-above-ui',
      'UI pieces are generic: they import no feature.',
      `${WEB}(components|dialogs|forms|lists|live|api|text)/`,
      webFeatures,
    ),
    forbid('web-ui-above-api', 'The API client knows no UI.', `${WEB}(api|text)/`, webUi),
    forbid(
      'web-text-bottom',
      'The words layer imports nothing else of the portal.',
      webText,
      `${WEB}(?!text/)`,
    ),

    {
      name: 'tests-use-entry-points',
      comment:
        'test/ and bench/ reach an app through its package (@kelpie/engine/testing, @kelpie/agent/testing, ' +
        '@kelpie/web/vm-actions), not by a path into its folders.',
      severity: 'error',
      from: { path: '^(test|bench)/' },
      to: { path: '^apps/[^/]+/src/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
