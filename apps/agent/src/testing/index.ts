// The agent's surface for the integration tests (test/), imported as `@kelpie/agent/testing`.
export { AGENT_ENTRY, AgentProcess, FakeEngine, ROOT, buildAgent } from './agent-harness';
export { CommandJournal, type JournalEntry } from '../protocol/command-journal';
export { CommandSignatures } from '../protocol/command-signatures';
