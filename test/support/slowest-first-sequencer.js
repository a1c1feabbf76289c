/** Integration files run two at a time; the run ends when the later worker does. Jest orders files by
 * the durations in its own cache, which a fresh clone (CI) does not have, and then by file size, so a
 * four-minute file could start last and leave one worker idle for its whole length. This sequencer
 * starts the files recorded as slow first (slowest first, from integration-durations.json, refreshed by
 * record-durations.js from a run's results), and keeps jest's own order for the rest. */
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');
const recorded = require('./integration-durations.json');

class SlowestFirstSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    const seconds = (t) => recorded.seconds[path.relative(t.context.config.rootDir, t.path)] ?? 0;
    // Array.prototype.sort is stable: files without a record keep jest's order after the slow ones.
    return [...ordered].sort((a, b) => seconds(b) - seconds(a));
  }
}

module.exports = SlowestFirstSequencer;
