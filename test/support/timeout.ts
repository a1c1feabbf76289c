// Integration tests drive real daemons and guests: the project-level testTimeout is not applied by
// jest to projects, so set it here for every integration file.
jest.setTimeout(300_000);
