import { run } from './main.js';

await run();
// A cancelled run may leave calls (or their sockets) pending: exit now, with run()'s exit code.
if (process.exitCode) process.exit();
