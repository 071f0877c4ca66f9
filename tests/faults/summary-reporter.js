'use strict';
/**
 * The closing summary of `npm run test:faults`: for each file, how many faults or attacks were
 * thrown at the app and how many it withstood (a passed test is one withstood), then the totals.
 */
const path = require('node:path');

class FaultsSummaryReporter {
  onRunComplete(_contexts, results) {
    const rows = results.testResults.map((file) => ({
      name: path.basename(file.testFilePath, '.test.ts'),
      tried: file.numPassingTests + file.numFailingTests,
      withstood: file.numPassingTests,
    }));
    const width = Math.max(...rows.map((row) => row.name.length), 10);
    const lines = rows
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((row) => `  ${row.name.padEnd(width)}  ${String(row.withstood).padStart(3)} of ${String(row.tried).padStart(3)} withstood`);
    const tried = rows.reduce((sum, row) => sum + row.tried, 0);
    const withstood = rows.reduce((sum, row) => sum + row.withstood, 0);
    process.stdout.write(
      `\nFaults and attacks (tests/faults):\n${lines.join('\n')}\n  ${'total'.padEnd(width)}  ${String(withstood).padStart(3)} of ${String(tried).padStart(3)} withstood\n`
    );
  }
}

module.exports = FaultsSummaryReporter;
