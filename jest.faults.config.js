'use strict';
/** `npm run test:faults`: load, fault and abuse tests (tests/faults), after `npm test` in CI. */
const base = require('./jest.config.js');
const integration = base.projects.find((p) => p.displayName === 'integration');

module.exports = {
  testTimeout: 300000,
  reporters: ['default', '<rootDir>/tests/faults/summary-reporter.js'],
  projects: [{ ...integration, displayName: 'faults', testMatch: ['<rootDir>/tests/faults/**/*.test.ts'] }],
};
